package dev.switchboard.proxy.forward;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.ProxyFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Traefik v3.2 keeps one HTTP round tripper per {@code serversTransport} ({@code TransportManager}):
 * a service uses its named transport's dial, response-header and idle timeouts and idle-pool size,
 * the static transport ({@code default@internal}) is the one of services that name none, a
 * transport unchanged across a reload keeps its connections, a changed one gets new ones, and a
 * service naming a transport that does not exist is not built. Each test runs a real proxy and real
 * loopback backends that count the connections they see.
 */
class ServersTransportTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ProxyFixture proxy;

    @AfterEach
    void close() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** Routers {@code /named} (service {@code named}, transport {@code t}) and {@code /default}, to {@code url}. */
    private static String config(String url, String transport) {
        return config(url, url, transport, "");
    }

    private static String config(String url, String transport, String moreRouters) {
        return config(url, url, transport, moreRouters);
    }

    /** As {@link #config(String, String)}, service {@code named} to {@code namedUrl} and {@code plain} to {@code plainUrl}. */
    private static String config(String namedUrl, String plainUrl, String transport, String moreRouters) {
        return """
                http:
                  routers:
                    named:   {rule: "PathPrefix(`/named`)", service: named}
                    default: {rule: "PathPrefix(`/default`)", service: plain}
                %3$s
                  services:
                    named: {loadBalancer: {servers: [{url: "%1$s"}], serversTransport: t}}
                    plain: {loadBalancer: {servers: [{url: "%2$s"}]}}
                  serversTransports:
                    t:
                %4$s
                """.formatted(namedUrl, plainUrl, moreRouters.indent(4).stripTrailing(), transport.indent(6).stripTrailing());
    }

    @Test
    void dialTimeoutOfTheNamedTransportAnswers504WhileTheDefaultWaitsLonger() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            proxy = ProxyFixture.start(config(hole.url(), "forwardingTimeouts: {dialTimeout: 300ms}"));
            long start = System.nanoTime();
            ContentResponse r = proxy.request("/named").timeout(10, TimeUnit.SECONDS).send();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(504, r.getStatus(), "a dial timeout is a timeout, as Traefik answers it");
            assertTrue(ms >= 250 && ms < 5000, "answered after the named transport's 300 ms, took " + ms + " ms");
            // The static transport dials for 30 s: nothing is answered within 2 s.
            assertThrows(TimeoutException.class, () -> proxy.request("/default").timeout(2, TimeUnit.SECONDS).send());
        }
    }

    @Test
    void responseHeaderTimeoutOfTheNamedTransportAnswers504WhileTheDefaultWaits() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start(config(backend.url(), "forwardingTimeouts: {responseHeaderTimeout: 300ms}"));
        long start = System.nanoTime();
        ContentResponse named = proxy.get("/named?delay=1500");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(504, named.getStatus());
        assertTrue(ms < 1400, "gave up after 300 ms, not when the server answered; took " + ms + " ms");
        ContentResponse plain = proxy.get("/default?delay=1500");
        assertEquals(200, plain.getStatus(), "the static transport has no response header timeout");
        assertEquals("ok", plain.getContentAsString());
    }

    @Test
    void idleConnTimeoutOfTheNamedTransportClosesIdleConnectionsSooner() throws Exception {
        CountingBackend named = backend();
        CountingBackend plain = backend();
        proxy = ProxyFixture.start(config(named.url(), plain.url(), "forwardingTimeouts: {idleConnTimeout: 300ms}", ""));
        assertEquals(200, proxy.get("/named").getStatus());
        assertEquals(200, proxy.get("/default").getStatus());
        await().atMost(PATIENCE).until(() -> named.closed.get() == 1);
        assertEquals(1, named.opened.get());
        Thread.sleep(700);
        assertEquals(1, plain.opened.get());
        assertEquals(0, plain.closed.get(), "the static transport keeps idle connections for 90 s");
        assertEquals(200, proxy.get("/named").getStatus());
        assertEquals(2, named.opened.get(), "the idle connection was closed, so the next request dials again");
    }

    @Test
    void maxIdleConnsPerHostOfTheNamedTransportLimitsTheConnectionsKeptAlive() throws Exception {
        CountingBackend named = backend();
        CountingBackend plain = backend();
        proxy = ProxyFixture.start(config(named.url(), plain.url(), "maxIdleConnsPerHost: 1", ""));
        concurrently("/named?delay=500", 4);
        concurrently("/default?delay=500", 4);
        assertEquals(4, named.opened.get());
        assertEquals(4, plain.opened.get());
        await().atMost(PATIENCE).until(() -> named.closed.get() == 3);
        assertEquals(0, plain.closed.get(), "the static transport keeps up to 200 idle connections per server");
        Thread.sleep(300);
        assertEquals(3, named.closed.get(), "one connection stays idle");
    }

    @Test
    void aNamedTransportWithoutMaxIdleConnsPerHostKeepsGosDefaultOfTwo() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start(config(backend.url(), "forwardingTimeouts: {dialTimeout: 5s}"));
        concurrently("/named?delay=500", 4);
        assertEquals(4, backend.opened.get());
        await().atMost(PATIENCE).until(() -> backend.closed.get() == 2);
        Thread.sleep(300);
        assertEquals(2, backend.closed.get());
    }

    @Test
    void negativeMaxIdleConnsPerHostKeepsNoConnectionAlive() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start(config(backend.url(), "maxIdleConnsPerHost: -1"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, proxy.get("/named").getStatus());
        }
        assertEquals(3, backend.opened.get(), "a new connection per request");
        await().atMost(PATIENCE).until(() -> backend.closed.get() == 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, proxy.get("/default").getStatus());
        }
        assertEquals(4, backend.opened.get(), "the static transport reuses its connection");
    }

    @Test
    void aTransportUnchangedAcrossAReloadKeepsItsConnectionsAndAChangedOneGetsNewOnes() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start(config(backend.url(), "forwardingTimeouts: {responseHeaderTimeout: 5s}"));
        assertEquals(200, proxy.get("/named").getStatus());
        assertEquals(1, backend.opened.get());

        // Another router changes; the transport does not.
        reload(config(backend.url(), "forwardingTimeouts: {responseHeaderTimeout: 5s}",
                "extra: {rule: \"PathPrefix(`/extra`)\", service: named}"));
        assertEquals(200, proxy.get("/named").getStatus());
        assertEquals(1, backend.opened.get(), "the same HTTP client and its idle connection");
        assertEquals(0, backend.closed.get());

        // The transport changes: a new client, and the old one closes its connection once unused.
        reload(config(backend.url(), "forwardingTimeouts: {responseHeaderTimeout: 4s}"));
        assertEquals(200, proxy.get("/named").getStatus());
        assertEquals(2, backend.opened.get(), "a new client dials a new connection");
        await().atMost(PATIENCE).until(() -> backend.closed.get() == 1);
    }

    @Test
    void aRequestInFlightOnAReplacedTransportFinishes() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start(config(backend.url(), "forwardingTimeouts: {responseHeaderTimeout: 20s}"));
        CompletableFuture<ContentResponse> slow = send("/named?delay=4000");
        await().atMost(PATIENCE).until(() -> backend.requests.get() == 1);
        reload(config(backend.url(), "forwardingTimeouts: {responseHeaderTimeout: 19s}"));
        assertFalse(slow.isDone(), "the new configuration applied while the request was in flight");
        ContentResponse r = slow.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.getStatus());
        assertEquals("ok", r.getContentAsString());
        await().atMost(PATIENCE).until(() -> backend.closed.get() == 1);
    }

    @Test
    void anUpgradedConnectionOnAReplacedTransportLivesOn() throws Exception {
        try (UpgradeEcho echo = new UpgradeEcho()) {
            proxy = ProxyFixture.start(config(echo.url(), "forwardingTimeouts: {responseHeaderTimeout: 20s}"));
            try (Socket client = new Socket("127.0.0.1", proxy.proxy().port("web"))) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("GET /named HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                        + "Upgrade: echo\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertTrue(UpgradeEcho.head(client.getInputStream()).startsWith("HTTP/1.1 101"));
                assertEquals("ping", roundTrip(client, "ping"));
                reload(config(echo.url(), "forwardingTimeouts: {responseHeaderTimeout: 19s}"));
                Thread.sleep(1000); // several polls of the old client's drain
                assertEquals("pong", roundTrip(client, "pong"), "the tunnel outlives its transport's replacement");
            }
        }
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] got = socket.getInputStream().readNBytes(text.length());
        return new String(got, StandardCharsets.US_ASCII);
    }

    @Test
    void theStaticTransportIsDefaultAtInternal() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}], serversTransport: default@internal}}
                """.formatted(backend.url()), "--serversTransport.forwardingTimeouts.responseHeaderTimeout=300ms");
        assertEquals(504, proxy.get("/?delay=1500").getStatus());
        assertEquals("enabled", proxy.proxy().runtime().services().get("s@file").status().json());
    }

    @Test
    void aServiceNamingATransportThatDoesNotExistIsNotBuiltAndItsRouterAnswers404() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}], serversTransport: nope}}
                  serversTransports:
                    nop: {maxIdleConnsPerHost: 1}
                """.formatted(backend.url()));
        assertEquals(404, proxy.get("/").getStatus());
        assertEquals(0, backend.requests.get());
        var service = proxy.proxy().runtime().services().get("s@file");
        assertEquals("disabled", service.status().json());
        assertEquals(List.of("serversTransport \"nope@file\" does not exist: did you mean \"nop@file\"?"),
                service.errors());
        assertEquals("disabled", proxy.proxy().runtime().routers().get("r@file").status().json());
    }

    @Test
    void serverNameAndRootCAsAreNotAppliedAndTheServiceSaysSo() throws Exception {
        CountingBackend backend = backend();
        proxy = ProxyFixture.start(config(backend.url(), "serverName: backend.example"));
        assertEquals(200, proxy.get("/named").getStatus());
        var service = proxy.proxy().runtime().services().get("named@file");
        assertEquals("warning", service.status().json());
        assertTrue(service.errors().get(0).startsWith("serversTransport t@file: serverName and rootCAs are not applied"),
                service.errors().toString());
        assertEquals("enabled", proxy.proxy().runtime().services().get("plain@file").status().json());
    }

    private void reload(String yaml) throws Exception {
        Object before = proxy.proxy().watcher().lastReload();
        proxy.writeDynamic(yaml);
        await().atMost(PATIENCE).until(() -> proxy.proxy().watcher().lastReload() != before);
    }

    private CompletableFuture<ContentResponse> send(String path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.request(path).send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void concurrently(String path, int n) throws InterruptedException, ExecutionException, TimeoutException {
        List<CompletableFuture<ContentResponse>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(send(path));
        }
        for (CompletableFuture<ContentResponse> f : all) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).getStatus());
        }
    }

    private CountingBackend backend() throws Exception {
        CountingBackend b = new CountingBackend();
        closing.add(b);
        return b;
    }

    /** A loopback Jetty server that counts the connections opened and closed; {@code ?delay=ms} delays its answer. */
    private static final class CountingBackend implements AutoCloseable {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        private final Server server;
        private final ServerConnector connector;

        CountingBackend() throws Exception {
            server = new Server(new QueuedThreadPool(32, 4));
            connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.addEventListener(new Connection.Listener() {
                @Override
                public void onOpened(Connection connection) {
                    opened.incrementAndGet();
                }

                @Override
                public void onClosed(Connection connection) {
                    closed.incrementAndGet();
                }
            });
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    requests.incrementAndGet();
                    Fields query = Request.extractQueryParameters(request);
                    String delay = query.getValue("delay");
                    if (delay != null) {
                        Thread.sleep(Long.parseLong(delay));
                    }
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                    response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
                    return true;
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    /** A server that switches every connection to an echo protocol: 101, then every byte back. */
    private static final class UpgradeEcho implements AutoCloseable {
        private final ServerSocket socket;

        UpgradeEcho() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread t = new Thread(() -> serve(s), "upgrade-echo");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "upgrade-echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(Socket s) {
            try (s) {
                head(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
                // the peer went away
            }
        }

        /** Reads a message head up to its blank line. */
        static String head(java.io.InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the end of the head: " + head);
                }
                head.append((char) b);
            }
            return head.toString();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A listening socket that never accepts and whose backlog is full: a connection attempt to it
     * gets no answer (the kernel drops the SYN), like a server behind a firewall that drops packets.
     */
    private static final class Blackhole implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> fillers = new ArrayList<>();

        Blackhole() throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), 200);
                    fillers.add(s);
                } catch (IOException e) {
                    s.close(); // the backlog is full already
                }
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            socket.close();
        }
    }
}

package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, finding 5: WebSockets through the proxy with no configuration, as Traefik v3.2 proxies
 * them (Go's {@code httputil.ReverseProxy}: {@code Connection: Upgrade} and {@code Upgrade} are put
 * back after the hop-by-hop headers are removed, a 101 is relayed with its headers and then the two
 * connections are joined). Jetty's WebSocket server behind the proxy, Jetty's WebSocket client in
 * front of it, and the handshake once more as exact bytes.
 */
class WebSocketProxyTest {
    private static Server backend;
    private static ServerConnector backendConnector;
    private static final Map<String, String> upgradeHeaders = new ConcurrentHashMap<>();
    private static ProxyFixture proxy;
    private static WebSocketClient client;

    /** Echoes every message; {@code /greet} also speaks first, right after the handshake. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private final boolean greet;
        private Session session;

        Echo(boolean greet) {
            this.greet = greet;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            if (greet) {
                session.sendText("hello from the server", Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.equals("close please")) {
                session.close(4000, "asked to", Callback.NOOP);
            } else {
                session.sendText("echo:" + message, Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, callback);
        }
    }

    /** Collects what the client receives. */
    public static final class Collector implements Session.Listener.AutoDemanding {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            messages.add(bytes);
            callback.succeed();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
        }

        Object next() throws InterruptedException {
            Object m = messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(m, "no message within 10 s");
            return m;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        backendConnector = new ServerConnector(backend);
        backendConnector.setHost("127.0.0.1");
        backend.addConnector(backendConnector);
        backend.setHandler(WebSocketUpgradeHandler.from(backend, container -> {
            container.setMaxBinaryMessageSize(4 << 20);
            container.addMapping("/echo", (request, response, callback) -> {
                request.getHeaders().forEach(f -> upgradeHeaders.put(f.getLowerCaseName(), f.getValue()));
                return new Echo(false);
            });
            container.addMapping("/admin/echo", (request, response, callback) -> new Echo(false));
            container.addMapping("/greet", (request, response, callback) -> new Echo(true));
        }));
        backend.start();
        String url = "http://127.0.0.1:" + backendConnector.getLocalPort();
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    all: {rule: "PathPrefix(`/`)", service: ws}
                    admin: {rule: "PathPrefix(`/admin`)", service: ws, middlewares: [auth]}
                  middlewares:
                    auth: {basicAuth: {users: ["%s"]}}
                  services:
                    ws: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(ProtectedSite.STUDENT_LAB, url));
        client = new WebSocketClient();
        client.setMaxBinaryMessageSize(4 << 20);
        client.start();
    }

    @AfterAll
    static void stop() throws Exception {
        client.stop();
        proxy.close();
        backend.stop();
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + proxy.proxy().port("web") + path);
    }

    @Test
    void echoesTextAndBinaryBothWaysThroughTheProxy() throws Exception {
        Collector collector = new Collector();
        Session session = client.connect(collector, ws("/echo")).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            session.sendText("message " + i, Callback.NOOP);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("echo:message " + i, collector.next());
        }
        byte[] big = new byte[3 << 20]; // larger than any buffer on the way: relayed with backpressure
        new java.util.Random(17).nextBytes(big);
        session.sendBinary(ByteBuffer.wrap(big), Callback.NOOP);
        assertArrayEquals(big, (byte[]) collector.next());
        session.close(1000, "done", Callback.NOOP);
        assertEquals("1000 done", collector.closed.get(10, TimeUnit.SECONDS));
        assertEquals("ws", upgradeHeaders.get("x-forwarded-proto"), "the server knows it is a WebSocket behind a proxy");
        assertEquals("websocket", upgradeHeaders.get("upgrade"));
    }

    @Test
    void aMessageTheServerSendsRightAfterItsHandshakeArrives() throws Exception {
        Collector collector = new Collector();
        client.connect(collector, ws("/greet")).get(10, TimeUnit.SECONDS);
        assertEquals("hello from the server", collector.next());
    }

    @Test
    void theServerClosingIsSeenByTheClient() throws Exception {
        Collector collector = new Collector();
        Session session = client.connect(collector, ws("/echo")).get(10, TimeUnit.SECONDS);
        session.sendText("close please", Callback.NOOP);
        assertEquals("4000 asked to", collector.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theRoutersMiddlewaresStillApplyToTheHandshake() throws Exception {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> client.connect(new Collector(), ws("/admin/echo")).get(10, TimeUnit.SECONDS));
        assertTrue(String.valueOf(refused.getCause()).contains("401"), String.valueOf(refused.getCause()));
        ClientUpgradeRequest withCredentials = new ClientUpgradeRequest();
        withCredentials.setHeader("Authorization", ProtectedSite.GOOD_CREDENTIALS);
        Collector collector = new Collector();
        Session session = client.connect(collector, ws("/admin/echo"), withCredentials).get(10, TimeUnit.SECONDS);
        session.sendText("in", Callback.NOOP);
        assertEquals("echo:in", collector.next());
        session.close();
    }

    /** The handshake as exact bytes (RFC 6455 section 1.3's example key). */
    @Test
    void theHandshakeAnswers101WithTheServersAcceptKey() throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("GET /echo HTTP/1.1\r\nHost: site\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            RawConnection.Response r = c.read();
            assertEquals(101, r.status(), r.toString());
            assertEquals("websocket", r.header("Upgrade").toLowerCase());
            assertEquals(List.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), r.headers("Sec-WebSocket-Accept"));
            // a masked text frame "hi", then the server's echo comes back unmasked
            c.write(new String(new byte[] {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2}, java.nio.charset.StandardCharsets.ISO_8859_1));
            String frame = c.readFor(java.time.Duration.ofSeconds(2));
            assertTrue(frame.endsWith("echo:hi"), frame);
        }
    }
}

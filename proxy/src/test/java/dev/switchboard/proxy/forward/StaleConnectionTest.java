package dev.switchboard.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.ScriptedServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server may close a keep-alive connection just as the proxy sends the next request on it (its
 * idle timeout, or a graceful shutdown: the rolling redeploy of lab 8). Traefik's transport, Go's
 * {@code http.Transport}, sends such a request again on another connection when the request can be
 * replayed (GET, HEAD, OPTIONS, TRACE without a body) and no byte of an answer came; a POST with a
 * body gets the 502. Each test runs the proxy in its default profile (Traefik v3.2's behaviour), with
 * no retry middleware, in front of a real loopback server that answers the first request of each
 * connection and closes the connection when a second request arrives on it.
 */
class StaleConnectionTest {
    private ProxyFixture proxy;
    private OneRequestPerConnection server;

    @AfterEach
    void close() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start() throws Exception {
        server = new OneRequestPerConnection();
        proxy = ProxyFixture.start(ProxyFixture.catchAllTo("http://127.0.0.1:" + server.port()));
    }

    @Test
    void aGetOnAConnectionTheServerClosedIsSentAgainOnAnotherOne() throws Exception {
        start();
        for (int i = 1; i <= 3; i++) {
            ContentResponse r = proxy.get("/hello?n=" + i);
            assertEquals(200, r.getStatus(), "request " + i + ": " + r.getContentAsString());
        }
        // Requests 2 and 3 each went first on the pooled connection (closed unanswered), then on a new one.
        assertEquals(List.of("GET /hello?n=1", "GET /hello?n=2", "GET /hello?n=2", "GET /hello?n=3", "GET /hello?n=3"),
                server.requestLines());
        assertEquals(3, server.answered());
    }

    @Test
    void aPostWithABodyIsNotSentAgain() throws Exception {
        start();
        assertEquals(200, proxy.get("/first").getStatus());
        ContentResponse r = proxy.request("/orders").method(HttpMethod.POST)
                .body(new StringRequestContent("text/plain", "one order")).timeout(10, TimeUnit.SECONDS).send();
        // Go does not replay a request with a body: the server sees the POST once. The answer is Traefik's 502, or 499 when
        // the server's close reaches the proxy while it still relays the body (the failure is then taken for the
        // client's: a misattribution left to fix, seen 2026-12-05).
        assertEquals(List.of("GET /first", "POST /orders"), server.requestLines());
        assertTrue(r.getStatus() == 502 || r.getStatus() == 499, "a 502 (or the 499 above), not a replay: " + r.getStatus());
    }

    /** Answers the first request of a connection (keep-alive); closes the connection, unanswered, on the second. */
    private static final class OneRequestPerConnection implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final AtomicInteger answered = new AtomicInteger();

        OneRequestPerConnection() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread t = new Thread(() -> serve(s), "one-request-connection");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "one-request-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        List<String> requestLines() {
            return List.copyOf(requestLines);
        }

        int answered() {
            return answered.get();
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(10_000);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                for (int n = 1; ; n++) {
                    String head = ScriptedServer.readHead(in);
                    if (head.isEmpty()) {
                        return;
                    }
                    String line = head.substring(0, head.indexOf(" HTTP/"));
                    requestLines.add(line);
                    if (n > 1) {
                        return; // closed without an answer
                    }
                    String body = "ok " + line;
                    answered.incrementAndGet(); // before the answer goes out: the test reads it once its client has the answer
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                // the proxy went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

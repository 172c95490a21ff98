package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import dev.switchboard.proxy.testing.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * Header and URL limits as Traefik v3.2 sets them: a request's line and headers may take
 * {@code entryPoints.<name>.http.maxHeaderBytes} (Go's default, 1 MiB) plus the 4 KiB Go allows
 * over it; more is {@code 431 Request Header Fields Too Large} and the connection closes. A long URL
 * counts against the same limit (Go has no 414). Bodies have no limit by default. Response heads are
 * relayed up to 1 MiB (Traefik: 10 MiB), a larger one is a 502.
 */
class LimitsTest {

    /** A server that answers with the length of the request head it read. */
    private static ScriptedServer headLength() throws Exception {
        return new ScriptedServer(head -> {
            String body = String.valueOf(head.length());
            return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        });
    }

    private static RawConnection.Response send(ProxyFixture proxy, String request) throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write(request);
            return c.read();
        }
    }

    @Test
    void headersUpToTheLimitPassAndOneByteMoreIs431() throws Exception {
        try (LogWatch log = new LogWatch(); ScriptedServer server = headLength();
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            String start = "GET / HTTP/1.1\r\nHost: site\r\nX-Big: ";
            int limit = (1 << 20) + 4096;
            // request line, headers and final CRLF of exactly the limit
            String fits = start + "a".repeat(limit - start.length() - 4) + "\r\n\r\n";
            assertEquals(limit, fits.length());
            RawConnection.Response r = send(proxy, fits);
            assertEquals(200, r.status(), "a 1 MiB header is forwarded, as Go's server takes it");
            assertTrue(Integer.parseInt(r.bodyText()) > 1 << 20, "the server got the whole header");

            String over = start + "a".repeat(limit - start.length() - 4 + 1) + "\r\n\r\n";
            try (RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
                c.write(over);
                RawConnection.Response refused = c.read();
                assertEquals(431, refused.status());
                assertEquals("431 Request Header Fields Too Large", refused.bodyText());
                assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            }
            assertEquals(1, server.heads().size(), "nothing of the refused request is forwarded");
            assertEquals(List.of(), log.stackTraces());
        }
    }

    @Test
    void aLongUrlCountsAgainstTheSameLimit() throws Exception {
        try (ScriptedServer server = headLength(); ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            String path = "/" + "p".repeat(64 * 1024);
            assertEquals(200, send(proxy, "GET " + path + "?q=" + "v".repeat(32 * 1024) + " HTTP/1.1\r\nHost: site\r\n\r\n").status());
            assertTrue(server.heads().get(0).startsWith("GET " + path + "?q=vvv"), "forwarded as it came");
            RawConnection.Response r = send(proxy, "GET /" + "p".repeat(1 << 21) + " HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(431, r.status(), "no 414 in Go: the request line is part of the head");
        }
    }

    @Test
    void manySmallHeadersWithinTheLimitPass() throws Exception {
        try (ScriptedServer server = headLength(); ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: site\r\n");
            for (int i = 0; i < 5000; i++) {
                request.append("X-H").append(i).append(": ").append("v".repeat(80)).append("\r\n");
            }
            assertEquals(200, send(proxy, request.append("\r\n").toString()).status());
            assertTrue(server.heads().get(0).contains("X-H4999: "));
        }
    }

    @Test
    void maxHeaderBytesIsTheEntryPointsOption() throws Exception {
        try (ScriptedServer server = headLength();
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()), "--entrypoints.web.http.maxHeaderBytes=8192")) {
            assertEquals(200, send(proxy, "GET / HTTP/1.1\r\nHost: site\r\nX-A: " + "a".repeat(8000) + "\r\n\r\n").status());
            assertEquals(431, send(proxy, "GET / HTTP/1.1\r\nHost: site\r\nX-A: " + "a".repeat(12300) + "\r\n\r\n").status());
        }
    }

    @Test
    void responseHeadsAreRelayedUpToOneMebibyteAndAboveThatAre502() throws Exception {
        try (ScriptedServer server = new ScriptedServer(head -> "HTTP/1.1 200 OK\r\nX-Big: "
                        + "b".repeat(head.contains("/over") ? (1 << 20) + 10 : (1 << 20) - 1024) + "\r\nContent-Length: 0\r\n\r\n");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            RawConnection.Response fits = send(proxy, "GET /fits HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(200, fits.status());
            assertEquals((1 << 20) - 1024, fits.header("X-Big").length());
            assertEquals(502, send(proxy, "GET /over HTTP/1.1\r\nHost: site\r\n\r\n").status());
        }
    }

    @Test
    void bodiesHaveNoLimitByDefault() throws Exception {
        AtomicInteger received = new AtomicInteger();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                received.set((int) Content.Source.asInputStream(request).transferTo(java.io.OutputStream.nullOutputStream()));
                response.write(true, java.nio.ByteBuffer.wrap(String.valueOf(received.get()).getBytes()), callback);
                return true;
            }
        });
        server.start();
        try (ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo("http://127.0.0.1:" + connector.getLocalPort()));
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("POST /upload HTTP/1.1\r\nHost: site\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = Integer.toHexString(64 * 1024) + "\r\n" + "z".repeat(64 * 1024) + "\r\n";
            for (int i = 0; i < 320; i++) { // 20 MiB
                c.write(chunk);
            }
            c.write("0\r\n\r\n");
            RawConnection.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals(String.valueOf(20 << 20), r.bodyText());
        } finally {
            server.stop();
        }
    }
}

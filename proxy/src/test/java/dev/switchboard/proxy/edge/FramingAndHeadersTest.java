package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import dev.switchboard.proxy.testing.ScriptedServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, finding 6: framing and header handling as Traefik v3.2 (Go's {@code net/http} server
 * and {@code httputil.ReverseProxy}) does it, each sent as exact bytes.
 */
class FramingAndHeadersTest {


    /** A bad chunk size is the client's error: 400, and the server is not blamed (it answered nothing wrong). */
    @Test
    void badChunkSizeInARequestBodyIs400() throws Exception {
        try (Backend backend = new Backend("b"); ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(backend.url()))) {
            try (RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
                c.write("POST /upload HTTP/1.1\r\nHost: site\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
                RawConnection.Response r = c.read();
                assertEquals(400, r.status(), r.toString());
                assertEquals("close", r.header("Connection"));
            }
            // the server is still taken as healthy: the next request goes to it
            assertEquals(200, proxy.get("/").getStatus());
        }
    }

    /** Go writes response headers of any size (and reads up to 10 MiB from a server); Jetty's default stops at 8 KiB. */
    @Test
    void aTwentyKilobyteResponseHeaderIsRelayed() throws Exception {
        String big = "v".repeat(20 * 1024);
        try (ScriptedServer server = new ScriptedServer(head -> "HTTP/1.1 200 OK\r\nX-Big: " + big
                        + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            RawConnection.Response r = send(proxy, "GET / HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals(big, r.header("X-Big"));
            assertEquals("ok", r.bodyText());
        }
    }

    /** RFC 9110 7.6.1, Go's {@code removeHopByHopHeaders} on the response: headers the server's Connection names stay behind. */
    @Test
    void headersNamedInTheServersConnectionHeaderDoNotReachTheClient() throws Exception {
        try (ScriptedServer server = new ScriptedServer(head -> "HTTP/1.1 200 OK\r\nConnection: X-Hop, close\r\nX-Hop: secret\r\n"
                        + "Keep-Alive: timeout=5\r\nX-Kept: yes\r\nContent-Length: 2\r\n\r\nok");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            RawConnection.Response r = send(proxy, "GET / HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(200, r.status());
            assertNull(r.header("X-Hop"), r.toString());
            assertNull(r.header("Keep-Alive"));
            assertEquals("yes", r.header("X-Kept"));
        }
    }

    /** Go's transport sends no Content-Type the client did not send; Jetty's client would add application/octet-stream. */
    @Test
    void aPostWithoutContentTypeReachesTheServerWithoutOne() throws Exception {
        try (ScriptedServer server = new ScriptedServer(head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            assertEquals(200, send(proxy, "POST /form HTTP/1.1\r\nHost: site\r\nContent-Length: 3\r\n\r\nabc").status());
            String head = server.heads().get(0);
            assertFalse(head.toLowerCase().contains("content-type"), head);
            assertTrue(head.contains("Content-Length: 3"), head);
        }
    }

    /** Without Connection: upgrade, Upgrade is an ordinary (hop-by-hop) header for Go: the request is forwarded, without it. */
    @Test
    void upgradeWithoutConnectionUpgradeIsAnOrdinaryRequest() throws Exception {
        try (ScriptedServer server = new ScriptedServer(head -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            RawConnection.Response r = send(proxy, "GET / HTTP/1.1\r\nHost: site\r\nUpgrade: foo\r\n\r\n");
            assertEquals(200, r.status(), r.toString());
            assertFalse(server.heads().get(0).toLowerCase().contains("upgrade"), server.heads().get(0));
        }
    }

    /** Go's reverse proxy keeps {@code TE: trailers} (it supports trailers) and drops the other hop-by-hop request headers. */
    @Test
    void hopByHopRequestHeadersAreDroppedButTeTrailersKept() throws Exception {
        try (ScriptedServer server = new ScriptedServer(head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(server.url()))) {
            send(proxy, "GET / HTTP/1.1\r\nHost: site\r\nConnection: X-Private\r\nX-Private: 1\r\nTE: trailers, deflate\r\n"
                    + "Proxy-Authorization: Basic eDp5\r\nX-Public: 2\r\n\r\n");
            String head = server.heads().get(0).toLowerCase();
            assertFalse(head.contains("x-private"), head);
            assertFalse(head.contains("proxy-authorization"), head);
            assertTrue(head.contains("te: trailers\r\n"), head);
            assertTrue(head.contains("x-public: 2"), head);
        }
    }

    /** Go's yaml.v3 (Traefik's file provider) resolves anchors, aliases and merge keys. */
    @Test
    void yamlAliasesAndMergeKeysAreResolved() throws Exception {
        try (Backend backend = new Backend("aliased");
                ProxyFixture proxy = ProxyFixture.start("""
                        http:
                          routers:
                            first: &router {rule: "PathPrefix(`/first`)", service: a, entryPoints: [web]}
                            second:
                              <<: *router
                              rule: "PathPrefix(`/`)"
                              service: b
                          services:
                            a: {loadBalancer: {servers: &srv [{url: "%s"}]}}
                            b: {loadBalancer: {servers: *srv}}
                        """.formatted(backend.url()))) {
            assertEquals("aliased", proxy.get("/first").getContentAsString());
            assertEquals("aliased", proxy.get("/second").getContentAsString());
            assertEquals(java.util.List.of("web"), proxy.proxy().runtime().routers().get("second@file").config().entryPoints());
        }
    }

    private static RawConnection.Response send(ProxyFixture proxy, String request) throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write(request);
            return c.read();
        }
    }
}

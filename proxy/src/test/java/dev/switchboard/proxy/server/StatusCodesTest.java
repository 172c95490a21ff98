package dev.switchboard.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.net.ServerSocket;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The statuses and bodies Traefik answers with when it cannot forward: 404, 502, 503, 504. */
class StatusCodesTest {
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A loopback port nobody listens on: connecting to it is refused. */
    static String closedPortUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void noRouterMatches404() throws Exception {
        proxy = ProxyFixture.start("http: {}\n");
        ContentResponse r = proxy.get("/anything");
        assertEquals(404, r.getStatus());
        assertEquals("404 page not found\n", r.getContentAsString());
        assertEquals("text/plain; charset=utf-8", r.getHeaders().get("Content-Type"));
    }

    @Test
    void serverRefusesConnections502() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(closedPortUrl()));
        ContentResponse r = proxy.get("/");
        assertEquals(502, r.getStatus());
        assertEquals("Bad Gateway", r.getContentAsString());
    }

    @Test
    void noServers503() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    empty: {rule: "PathPrefix(`/empty`)", service: empty}
                    zero:  {rule: "PathPrefix(`/zero`)", service: zero}
                  services:
                    empty: {loadBalancer: {servers: []}}
                    zero: {loadBalancer: {servers: [{url: "http://127.0.0.1:1", weight: 0}]}}
                """);
        for (String path : new String[] {"/empty", "/zero"}) {
            ContentResponse r = proxy.get(path);
            assertEquals(503, r.getStatus(), path);
            assertEquals("no available server\n", r.getContentAsString(), path);
        }
    }

    @Test
    void responseHeadersTooSlow504() throws Exception {
        try (Backend slow = new Backend("slow")) {
            slow.behave((backend, request, response, callback) -> {
                Thread.sleep(3000);
                callback.succeeded();
            });
            proxy = ProxyFixture.start("""
                    http:
                      routers:
                        r: {rule: "PathPrefix(`/`)", service: s}
                      services:
                        s: {loadBalancer: {servers: [{url: "%s"}], serversTransport: quick}}
                      serversTransports:
                        quick:
                          forwardingTimeouts:
                            responseHeaderTimeout: 200ms
                    """.formatted(slow.url()));
            ContentResponse r = proxy.get("/");
            assertEquals(504, r.getStatus());
            assertEquals("Gateway Timeout", r.getContentAsString());
        }
    }

    /** A service whose first server refuses connections and whose second is {@code up}. */
    private static String closedThenUp(Backend up) throws Exception {
        return """
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}, {url: "%s"}]}}
                """.formatted(closedPortUrl(), up.url());
    }

    @Test
    void aRefusedConnectionIsSentToAnotherServer() throws Exception {
        try (Backend up = new Backend("up")) {
            proxy = ProxyFixture.start(closedThenUp(up), ProxyFixture.SWITCHBOARD_PROFILE);
            for (int i = 0; i < 10; i++) {
                ContentResponse r = proxy.get("/");
                assertEquals(200, r.getStatus(), "request " + i);
                assertEquals("up", r.getContentAsString());
            }
            assertEquals(10, up.count());
        }
    }

    /**
     * Traefik v3.2 sends nothing again without the retry middleware: a refused connection is a
     * {@code 502 Bad Gateway} (its proxy's error handler), and the refusing server stays in rotation.
     */
    @Test
    void withoutTheRetryMiddlewareARefusedConnectionIsABadGateway() throws Exception {
        try (Backend up = new Backend("up")) {
            proxy = ProxyFixture.start(closedThenUp(up));
            int badGateways = 0;
            for (int i = 0; i < 10; i++) {
                ContentResponse r = proxy.get("/");
                if (r.getStatus() == 502) {
                    assertEquals("Bad Gateway", r.getContentAsString());
                    badGateways++;
                } else {
                    assertEquals("up", r.getContentAsString());
                }
            }
            assertEquals(5, badGateways, "round robin keeps sending every other request to the refusing server");
            assertEquals(5, up.count(), "and none of them is sent again to the other one");
        }
    }
}

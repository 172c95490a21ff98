package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, finding 5 (CONNECT): a reverse proxy is not a forward proxy. Routed as Traefik v3.2
 * routes it (the target {@code host:port} has an empty path, so {@code PathPrefix(`/`)} does not
 * match: 404), and where a router does match it (a {@code Host} rule), answered 405 and the
 * connection closed, never passed to a server.
 */
class ConnectMethodTest {

    @Test
    void connectMatchesNoPathRule() throws Exception {
        try (LogWatch log = new LogWatch(); ProtectedSite site = ProtectedSite.start(); RawConnection c = site.connect()) {
            c.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            RawConnection.Response r = c.read();
            assertEquals(404, r.status(), r.toString());
            assertEquals("404 page not found\n", r.bodyText());
            assertEquals(0, site.publicBackend.count() + site.adminBackend.count());
            assertEquals(List.of(), log.stackTraces());
        }
    }

    @Test
    void connectMatchedByAHostRuleIsRefusedAndNotForwarded() throws Exception {
        try (LogWatch log = new LogWatch();
                Backend backend = new Backend("b");
                ProxyFixture proxy = ProxyFixture.start("""
                        http:
                          routers:
                            host: {rule: "Host(`example.com`)", service: s}
                          services:
                            s: {loadBalancer: {servers: [{url: "%s"}]}}
                        """.formatted(backend.url()));
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            RawConnection.Response r = c.read();
            assertEquals(405, r.status(), r.toString());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedWithin(Duration.ofSeconds(5)), "the connection is closed, not left hanging");
            assertEquals(0, backend.count());
            assertEquals(List.of(), log.stackTraces());
        }
    }
}

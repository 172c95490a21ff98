package dev.switchboard.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the backend sees: Traefik's X-Forwarded-* and X-Real-Ip, client-sent ones dropped unless trusted. */
class ForwardedHeadersTest {
    private Backend backend;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("b");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    private String config() {
        return """
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(backend.url());
    }

    @Test
    void setsTraefiksHeaders() throws Exception {
        proxy = ProxyFixture.start(config());
        proxy.request("/x").headers(h -> h.put("Host", "app1.localhost:8000")
                .put("X-Forwarded-For", "6.6.6.6").put("X-Real-Ip", "6.6.6.6").put("X-Forwarded-Host", "evil")).send();
        Backend.Seen seen = backend.last();
        assertEquals("127.0.0.1", seen.header("X-Forwarded-For"), "a spoofed X-Forwarded-For from an untrusted client is dropped");
        assertEquals("127.0.0.1", seen.header("X-Real-Ip"));
        assertEquals("http", seen.header("X-Forwarded-Proto"));
        assertEquals("app1.localhost:8000", seen.header("X-Forwarded-Host"));
        assertEquals("8000", seen.header("X-Forwarded-Port"));
        assertFalse(seen.header("X-Forwarded-Server").isEmpty());
        assertEquals("app1.localhost:8000", seen.header("Host"));
        assertNull(seen.header("Via"), "Traefik adds no Via");
        assertNull(seen.header("Forwarded"), "Traefik adds no Forwarded");
    }

    @Test
    void defaultPortIs80() throws Exception {
        proxy = ProxyFixture.start(config());
        proxy.get("app1.localhost", "/x");
        assertEquals("80", backend.last().header("X-Forwarded-Port"));
    }

    @Test
    void trustedClientsKeepTheirHeadersAndXffIsAppended() throws Exception {
        proxy = ProxyFixture.start(config(), "--entrypoints.web.forwardedheaders.trustedips=127.0.0.0/8");
        proxy.request("/x").headers(h -> h.put("X-Forwarded-For", "203.0.113.7").put("X-Forwarded-Proto", "https")).send();
        Backend.Seen seen = backend.last();
        assertEquals("203.0.113.7, 127.0.0.1", seen.header("X-Forwarded-For"));
        assertEquals("https", seen.header("X-Forwarded-Proto"));
    }

    @Test
    void hopByHopHeadersAreNotForwarded() throws Exception {
        proxy = ProxyFixture.start(config());
        proxy.request("/x").headers(h -> h.put("Connection", "keep-alive, X-Secret").put("X-Secret", "s")
                .put("Keep-Alive", "timeout=5").put("Proxy-Authorization", "Basic x")).send();
        Backend.Seen seen = backend.last();
        assertNull(seen.header("X-Secret"), "headers named in Connection are hop-by-hop");
        assertNull(seen.header("Keep-Alive"));
        assertNull(seen.header("Proxy-Authorization"));
        assertTrue(seen.header("Connection") == null || !seen.header("Connection").contains("X-Secret"));
    }
}

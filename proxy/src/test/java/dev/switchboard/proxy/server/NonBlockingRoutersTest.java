package dev.switchboard.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off-free fast path (switchboard.server.nonBlocking): chosen only while every router's
 * middlewares and service are of kinds that never block, and requests are answered the same with
 * it on (keep-alive connections resumed inline) and off (a blocking middleware, after a reload).
 */
class NonBlockingRoutersTest {
    private Backend backend;
    private ProxyFixture proxy;

    @BeforeEach
    void backend() throws Exception {
        backend = new Backend("b");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
    }

    private String config(String middlewares, String extraMiddlewares, String service) {
        return """
                http:
                  routers:
                    r:
                      rule: PathPrefix(`/`)
                      middlewares: [%s]
                      service: %s
                  middlewares:
                    strip: {stripPrefix: {prefixes: [/x]}}
                    headers: {headers: {customRequestHeaders: {X-Test: "1"}}}
                    limit: {rateLimit: {average: 1000000, burst: 1000000}}
                    both: {chain: {middlewares: [strip, headers]}}
                %s
                  services:
                    lb:
                      loadBalancer:
                        servers: [{url: "%s"}]
                    weighted:
                      weighted:
                        services: [{name: lb, weight: 1}]
                    mirrored:
                      mirroring:
                        service: lb
                        mirrors: [{name: lb, percent: 0}]
                """.formatted(middlewares, service, extraMiddlewares, backend.url());
    }

    private static String sha1User(String user, String password) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
        return user + ":{SHA}" + Base64.getEncoder().encodeToString(digest);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Many requests on the proxy's keep-alive connections: each next request is read after a relayed response. */
    private void manyRequests(String authorization) throws Exception {
        for (int i = 0; i < 50; i++) {
            var request = proxy.request("/x/p" + i);
            if (authorization != null) {
                request.headers(h -> h.put("Authorization", authorization));
            }
            ContentResponse r = request.send();
            assertEquals(200, r.getStatus());
            assertEquals("b", r.getContentAsString());
            assertEquals("/p" + i, backend.last().path());
        }
    }

    @Test
    void routersOfNonBlockingKindsTakeTheFastPath() throws Exception {
        proxy = ProxyFixture.start(config("strip, headers, limit", "", "lb"));
        assertTrue(proxy.proxy().nonBlockingRouters());
        manyRequests(null);
        assertEquals("1", backend.last().header("X-Test"));
    }

    @Test
    void chainsAndWeightedServicesOfNonBlockingKindsTakeTheFastPath() throws Exception {
        proxy = ProxyFixture.start(config("both", "", "weighted"));
        assertTrue(proxy.proxy().nonBlockingRouters());
        manyRequests(null);
    }

    @Test
    void aBlockingMiddlewareTurnsTheFastPathOffAndStillWorks() throws Exception {
        String auth = "    auth: {basicAuth: {users: [\"" + sha1User("alice", "secret") + "\"]}}";
        proxy = ProxyFixture.start(config("strip, auth", auth, "lb"));
        assertFalse(proxy.proxy().nonBlockingRouters());
        manyRequests(basic("alice", "secret"));
        assertEquals(401, proxy.get("/x/p").getStatus());
    }

    @Test
    void aChainWithABlockingMiddlewareTurnsTheFastPathOff() throws Exception {
        proxy = ProxyFixture.start(config("slow", "    slow: {chain: {middlewares: [strip, buf]}}\n"
                + "    buf: {buffering: {maxRequestBodyBytes: 1000}}", "lb"));
        assertFalse(proxy.proxy().nonBlockingRouters(), "buffering inside a chain");
        manyRequests(null);
    }

    @Test
    void aMirroringServiceTurnsTheFastPathOff() throws Exception {
        proxy = ProxyFixture.start(config("strip", "", "mirrored"));
        assertFalse(proxy.proxy().nonBlockingRouters());
        manyRequests(null);
    }

    @Test
    void aReloadSwitchesBetweenThePaths() throws Exception {
        proxy = ProxyFixture.start(config("strip", "", "lb"));
        assertTrue(proxy.proxy().nonBlockingRouters());
        manyRequests(null);
        String auth = "    auth: {basicAuth: {users: [\"" + sha1User("alice", "secret") + "\"]}}";
        proxy.writeDynamic(config("strip, auth", auth, "lb"));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get("/x/p").getStatus() == 401);
        assertFalse(proxy.proxy().nonBlockingRouters());
        manyRequests(basic("alice", "secret"));
        proxy.writeDynamic(config("strip", "", "lb"));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get("/x/p").getStatus() == 200);
        assertTrue(proxy.proxy().nonBlockingRouters());
        manyRequests(null);
    }

    @Test
    void internalServicesAreNotOnTheFastPath() throws Exception {
        proxy = ProxyFixture.start(config("strip", "", "lb"), "--ping=true", "--ping.entryPoint=web");
        assertFalse(proxy.proxy().nonBlockingRouters(), "ping@internal's router is on the web entry point");
        manyRequests(null);
    }
}

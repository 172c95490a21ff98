package dev.switchboard.proxy.middleware;

import static dev.switchboard.proxy.testing.Exchange.row;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rateLimit, inFlightReq, buffering and circuitBreaker through the real proxy. */
class TrafficMiddlewaresTest {
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

    private ContentResponse get(String host, String path, String... headers) throws Exception {
        return proxy.client().newRequest(proxy.url("web", path)).timeout(15, TimeUnit.SECONDS).headers(h -> {
            h.put("Host", host);
            for (int i = 0; i < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
        }).send();
    }

    @Test
    void rateLimitAllowsTheBurstThenAnswers429WithRetryAfter() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rl", "rateLimit: {average: 1, period: 1m, burst: 2}");
        m.put("peruser", "rateLimit: {average: 1, period: 1m, burst: 1, sourceCriterion: {requestHeaderName: X-User}}");
        proxy = ProxyFixture.start(Exchange.routers(backend, m));
        assertEquals(200, get("rl", "/").getStatus());
        assertEquals(200, get("rl", "/").getStatus());
        ContentResponse limited = get("rl", "/");
        assertEquals(429, limited.getStatus());
        assertEquals("Too Many Requests", limited.getContentAsString());
        int retryAfter = Integer.parseInt(limited.getHeaders().get("Retry-After"));
        assertTrue(retryAfter > 50 && retryAfter <= 60, "one token a minute: come back in about 60 s, not " + retryAfter);
        assertEquals(2, backend.count(), "the refused request never reached the backend");

        assertEquals(200, get("peruser", "/", "X-User", "ann").getStatus());
        assertEquals(429, get("peruser", "/", "X-User", "ann").getStatus());
        assertEquals(200, get("peruser", "/", "X-User", "ben").getStatus(), "each source has its own bucket");
    }

    @Test
    void eachRouterHasItsOwnBuckets() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    one: {rule: "Host(`one`)", service: s, middlewares: [rl]}
                    two: {rule: "Host(`two`)", service: s, middlewares: [rl]}
                  middlewares:
                    rl:
                      rateLimit: {average: 1, period: 1h, burst: 1}
                  services:
                    s:
                      loadBalancer: {servers: [{url: "%s"}]}
                """.formatted(backend.url()));
        assertEquals(200, get("one", "/").getStatus());
        assertEquals(429, get("one", "/").getStatus());
        assertEquals(200, get("two", "/").getStatus(), "the same middleware on another router counts apart, as in Traefik");
    }

    @Test
    void rateLimitDelaysARequestThatWouldWaitLessThanHalfAnInterval() throws Exception {
        // 100 per second: a token every 10 ms; an empty bucket delays (up to 5 ms) or refuses.
        proxy = ProxyFixture.start(Exchange.routers(backend, Map.of("fast", "rateLimit: {average: 100, burst: 5}")));
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 40; i++) {
            int status = get("fast", "/").getStatus();
            if (status == 200) {
                ok++;
            } else {
                assertEquals(429, status);
                limited++;
            }
        }
        assertEquals(40, ok + limited);
        assertTrue(ok >= 5, "at least the burst passes: " + ok);
    }

    @Test
    void inFlightReqRefusesTheRequestOverTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        backend.behave((b, request, response, callback) -> {
            arrived.countDown();
            release.await(20, TimeUnit.SECONDS);
            response.write(true, ByteBuffer.wrap("slow".getBytes(StandardCharsets.UTF_8)), callback);
        });
        proxy = ProxyFixture.start(Exchange.routers(backend, Map.of("limited", "inFlightReq: {amount: 1}")));
        CompletableFuture<ContentResponse> first = new CompletableResponseListener(
                proxy.client().newRequest(proxy.url("web", "/")).headers(h -> h.put("Host", "limited"))).send();
        assertTrue(arrived.await(10, TimeUnit.SECONDS));
        ContentResponse second = get("limited", "/");
        assertEquals(429, second.getStatus(), "one request in flight already");
        release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).getStatus());
        await().atMost(Duration.ofSeconds(10)).until(() -> get("limited", "/").getStatus() == 200);
    }

    @Test
    void bufferingLimitsBodies() throws Exception {
        backend.behave((b, request, response, callback) -> {
            String body = request.getHttpURI().getPath().equals("/big") ? "x".repeat(100) : "ok";
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        });
        proxy = ProxyFixture.start(Exchange.routers(backend,
                Map.of("buf", "buffering: {maxRequestBodyBytes: 10, maxResponseBodyBytes: 50}")));
        row("small body passes").host("buf").request("POST", "/").body("12345").backendBody("12345")
                .responseBody("ok").check(proxy, backend);
        row("request body over the limit: 413").host("buf").request("POST", "/").body("12345678901").status(413)
                .answeredByProxy().check(proxy, backend);
        row("response over the limit: 500").host("buf").get("/big").status(500).check(proxy, backend);
    }

    @Test
    void circuitBreakerOpensOnErrorsAndRecovers() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        backend.behave((b, request, response, callback) -> {
            response.setStatus(failing.get() ? 500 : 200);
            response.write(true, ByteBuffer.wrap("backend".getBytes(StandardCharsets.UTF_8)), callback);
        });
        proxy = ProxyFixture.start(Exchange.routers(backend, Map.of("cb", """
                circuitBreaker:
                  expression: "ResponseCodeRatio(500, 600, 0, 600) > 0.5"
                  checkPeriod: 1ms
                  fallbackDuration: 1s
                  recoveryDuration: 1s""")));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ContentResponse r = get("cb", "/");
            return r.getStatus() == 503 && r.getContentAsString().equals("Service Unavailable");
        });
        int before = backend.count();
        assertEquals(503, get("cb", "/").getStatus(), "open: the proxy answers");
        assertEquals(before, backend.count(), "open: the backend is spared");
        failing.set(false);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("cb", "/").getStatus() == 200);
    }

    @Test
    void circuitBreakerCountsNetworkErrors() throws Exception {
        Backend dead = new Backend("dead");
        String deadUrl = dead.url();
        dead.close();
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s, middlewares: [cb]}
                  middlewares:
                    cb:
                      circuitBreaker: {expression: "NetworkErrorRatio() > 0.5", checkPeriod: 1ms, responseCode: 418}
                  services:
                    s:
                      loadBalancer: {servers: [{url: "%s"}]}
                """.formatted(deadUrl));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get("/").getStatus() == 418);
    }
}

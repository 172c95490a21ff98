package dev.switchboard.proxy.middleware;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry middleware and the balancer's own retry, against real servers that fail in different ways. */
class RetryTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private Backend backend(String name) throws Exception {
        Backend b = new Backend(name);
        closeables.add(b);
        return b;
    }

    private Backend failing(String name, int status) throws Exception {
        return backend(name).behave((backend, request, response, callback) -> {
            response.setStatus(status);
            response.write(true, ByteBuffer.wrap((name + " failed").getBytes(StandardCharsets.UTF_8)), callback);
        });
    }

    private static String deadUrl() throws Exception {
        Backend b = new Backend("dead");
        String url = b.url();
        b.close();
        return url;
    }

    /** Router / with the retry middleware (options given; none: no middleware) to servers in this order. */
    static String config(String retryOptions, String... urls) {
        String servers = Arrays.stream(urls).map(u -> "{url: \"" + u + "\"}").collect(Collectors.joining(", "));
        String middlewares = retryOptions == null ? "" : ", middlewares: [retry]";
        String definition = retryOptions == null ? "" : """
                  middlewares:
                    retry: {retry: {%s}}
                """.formatted(retryOptions);
        return """
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s%s}
                  services:
                    s: {loadBalancer: {servers: [%s]}}
                %s""".formatted(middlewares, servers, definition);
    }

    @Test
    void withoutTheMiddlewareARefusedRequestIsSentToAnotherServerOnce() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start(config(null, deadUrl(), a.url()), ProxyFixture.SWITCHBOARD_PROFILE);
        assertEquals("a", proxy.get("/").getContentAsString());

        // Weights make the balancer pick both dead servers before a.
        proxy.writeDynamic("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s", weight: 10}, {url: "%s", weight: 10}, {url: "%s"}]}}
                """.formatted(deadUrl(), deadUrl(), a.url()));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().states().servers("s@file").size() == 3);
        assertEquals(502, proxy.get("/").getStatus(), "once only: the second dead server's 502 reaches the client");
    }

    @Test
    void withoutTheMiddlewareARefusedPostIsSentElsewhereWithItsBody() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start(config(null, deadUrl(), a.url()), ProxyFixture.SWITCHBOARD_PROFILE);
        ContentResponse r = proxy.request("/orders").method("POST")
                .body(new StringRequestContent("text/plain", "order 42")).send();
        assertEquals(200, r.getStatus());
        assertEquals("order 42", a.last().body());
    }

    @Test
    void networkErrorsAreRetriedUpToAttemptsEachOnAnotherServer() throws Exception {
        Backend a = backend("a");
        Path log = Files.createTempDirectory("retry-log").resolve("access.json");
        proxy = ProxyFixture.start(config("attempts: 3", deadUrl(), deadUrl(), a.url()),
                "--accesslog=true", "--accesslog.format=json", "--accesslog.filepath=" + log);
        assertEquals("a", proxy.get("/").getContentAsString());
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && !Files.readAllLines(log).isEmpty());
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(log).get(0));
        assertEquals(2, line.get("RetryAttempts").asInt(), line::toString);
    }

    @Test
    void statusesInTheListAreRetriedOnAnotherServer() throws Exception {
        Backend a = failing("a", 503);
        Backend b = backend("b");
        proxy = ProxyFixture.start(config("attempts: 2, status: [\"500-599\"]", a.url(), b.url()));
        for (int i = 0; i < 6; i++) {
            ContentResponse r = proxy.get("/");
            assertEquals(200, r.getStatus());
            assertEquals("b", r.getContentAsString());
        }
        assertTrue(a.count() >= 3, "a was tried and its 503 hidden: " + a.count());
    }

    @Test
    void whenEveryAttemptFailsTheLastAnswerReachesTheClient() throws Exception {
        Backend a = failing("a", 500);
        Backend b = failing("b", 502);
        proxy = ProxyFixture.start(config("attempts: 3, status: [\"500\", \"502\"]", a.url(), b.url()));
        ContentResponse r = proxy.get("/");
        assertEquals(3, a.count() + b.count(), "three attempts over two servers: one is tried again");
        Backend third = a.count() == 2 ? a : b;
        assertEquals(third == a ? 500 : 502, r.getStatus());
        assertEquals(third.name() + " failed", r.getContentAsString(), "the third attempt's answer reaches the client");
    }

    @Test
    void postIsRetriedOnStatusOnlyWhenAskedAndItsBodyIsSentAgain() throws Exception {
        Backend a = failing("a", 503);
        Backend b = backend("b");
        proxy = ProxyFixture.start(config("attempts: 2, status: [\"503\"]", a.url(), b.url()));
        ContentResponse r = proxy.request("/").method("POST").body(new StringRequestContent("text/plain", "hello")).send();
        assertEquals(503, r.getStatus(), "POST is not idempotent: not retried on status");

        proxy.writeDynamic(config("attempts: 2, status: [\"503\"], retryNonIdempotentMethod: true", a.url(), b.url()));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().runtime().middlewares().get("retry@file")
                .config() instanceof dev.switchboard.proxy.config.dynamic.Middleware.Retry rc && rc.retryNonIdempotentMethod());
        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = 'y';
        String body = new String(big, StandardCharsets.US_ASCII);
        for (int i = 0; i < 2; i++) {
            // chunked, in several pieces, so the buffer is assembled from many chunks
            AsyncRequestContent content = new AsyncRequestContent("text/plain");
            CompletableResponseListener listener = new CompletableResponseListener(
                    proxy.request("/").method("POST").body(content), 1 << 20);
            var future = listener.send();
            for (int at = 0; at < big.length; at += 64_000) {
                content.write(ByteBuffer.wrap(big, at, Math.min(64_000, big.length - at)), org.eclipse.jetty.util.Callback.NOOP);
            }
            content.close();
            ContentResponse posted = future.get(10, TimeUnit.SECONDS);
            assertEquals(200, posted.getStatus());
            assertEquals(body, b.last().body(), "the whole body reached the second server");
        }
        assertEquals(body, a.last().body(), "and the first");
    }

    @Test
    void aBodyOverTheBoundStreamsThroughAndIsNotRetriedOnStatus() throws Exception {
        Backend a = failing("a", 503);
        Backend b = backend("b");
        proxy = ProxyFixture.start(config("attempts: 2, status: [\"503\"], maxRequestBodyBytes: 10", a.url(), b.url()));
        String body = "0123456789-and-more";
        ContentResponse r = proxy.request("/").method("PUT").body(new StringRequestContent("text/plain", body)).send();
        assertEquals(503, r.getStatus());
        assertEquals(body, a.last().body(), "the body streamed intact");
        assertEquals(0, b.count());
    }

    @Test
    void backoffWaitsBetweenAttempts() throws Exception {
        Backend a = failing("a", 503);
        proxy = ProxyFixture.start(config("attempts: 3, status: [\"503\"], initialInterval: 200ms", a.url()));
        long start = System.nanoTime();
        assertEquals(503, proxy.get("/").getStatus());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(3, a.count());
        // waits of 200 ms and 283 ms, each +-50 %: at least 100 + 141 ms
        assertTrue(ms >= 241, "waited " + ms + " ms");
    }

    @Test
    void withNetworkRetriesDisabledOnlyListedStatusesAreRetried() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start(config("attempts: 3, status: [\"500\"], disableRetryOnNetworkError: true", deadUrl(), a.url()));
        assertEquals(502, proxy.get("/").getStatus(), "the refused attempt is not retried: 502 is not listed");
    }

    @Test
    void badOptionsDisableTheRouterWithAClearError() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    zero: {rule: "Path(`/zero`)", service: s, middlewares: [zero]}
                    status: {rule: "Path(`/status`)", service: s, middlewares: [status]}
                    nothing: {rule: "Path(`/nothing`)", service: s, middlewares: [nothing]}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}]}}
                  middlewares:
                    zero: {retry: {attempts: 0}}
                    status: {retry: {attempts: 2, status: ["5xx"]}}
                    nothing: {retry: {attempts: 2, disableRetryOnNetworkError: true}}
                """.formatted(a.url()));
        var routers = proxy.proxy().runtime().routers();
        assertRouterError(routers.get("zero@file"), "attempts must be at least 1, got 0");
        assertRouterError(routers.get("status@file"), "status \"5xx\" is not a status code or range");
        assertRouterError(routers.get("nothing@file"), "otherwise nothing is ever retried");
        assertEquals(404, proxy.get("/zero").getStatus());
    }

    private static void assertRouterError(RouterInfo router, String expected) {
        assertTrue(router.errors().stream().anyMatch(e -> e.contains(expected)), router.errors()::toString);
    }

    /** Closes the connection as soon as it has read a request: the request reached the server, no answer. */
    private Backend breaking(String name) throws Exception {
        return backend(name).behave((backend, request, response, callback) -> {
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new java.io.IOException(name + " broke the connection"));
        });
    }

    /**
     * Traefik v3.2's retry stops as soon as the request headers were written to a server
     * ({@code httptrace.WroteHeaders} disables it): a request that reached a server and lost its
     * connection is a 502, even a GET.
     */
    @Test
    void aRequestThatReachedAServerIsNotRetried() throws Exception {
        Backend broken = breaking("broken");
        Backend a = backend("a");
        proxy = ProxyFixture.start(config("attempts: 3", broken.url(), a.url()));
        assertEquals(502, proxy.get("/").getStatus());
        assertEquals(1, broken.count());
        assertEquals(0, a.count(), "not retried");
    }

    /** The switchboard profile's smartRetry: an idempotent request that broke after it was sent is retried elsewhere. */
    @Test
    void withSmartRetryAnIdempotentRequestThatBrokeIsRetriedElsewhere() throws Exception {
        Backend broken = breaking("broken");
        Backend a = backend("a");
        proxy = ProxyFixture.start(config("attempts: 3", broken.url(), a.url()), "--switchboard.smartRetry=true");
        ContentResponse r = proxy.get("/");
        assertEquals(200, r.getStatus());
        assertEquals("a", r.getContentAsString());
        ContentResponse post = proxy.request("/").method("POST").body(new StringRequestContent("text/plain", "x")).send();
        assertEquals(200, post.getStatus(), "the next one goes to a first: " + post.getContentAsString());
        ContentResponse again = proxy.request("/").method("POST").body(new StringRequestContent("text/plain", "x")).send();
        assertEquals(502, again.getStatus(), "a POST that reached the broken server is not repeated");
    }

    /** Traefik's retry re-sends a request that never reached a server, whatever its method, body included. */
    @Test
    void aRefusedPostIsRetriedWithItsBody() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start(config("attempts: 2", deadUrl(), a.url()));
        ContentResponse r = proxy.request("/orders").method("POST")
                .body(new StringRequestContent("text/plain", "order 7")).send();
        assertEquals(200, r.getStatus());
        assertEquals("order 7", a.last().body());
    }

    /**
     * Traefik's retry middleware wraps the whole service handler: each attempt goes through the
     * weighted service again, and can reach its other child.
     */
    @Test
    void aRetryCanReachAnotherChildOfAWeightedService() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: canary, middlewares: [retry]}
                  middlewares:
                    retry: {retry: {attempts: 2}}
                  services:
                    canary: {weighted: {services: [{name: v1, weight: 1}, {name: v2, weight: 1}]}}
                    v1: {loadBalancer: {servers: [{url: "%s"}]}}
                    v2: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(deadUrl(), a.url()));
        for (int i = 0; i < 4; i++) {
            ContentResponse r = proxy.get("/");
            assertEquals(200, r.getStatus(), "request " + i);
            assertEquals("a", r.getContentAsString());
        }
    }

    /** Without the retry middleware nothing is sent again (Traefik v3.2): a refused connection is a 502. */
    @Test
    void withoutTheMiddlewareNothingIsSentAgain() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start(config(null, deadUrl(), a.url()));
        assertEquals(502, proxy.get("/").getStatus());
        assertEquals("a", proxy.get("/").getContentAsString());
        assertEquals(1, a.count());
    }
}

package dev.switchboard.proxy.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.runtime.Status;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.HungServer;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.upstream.ServerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active and passive health checks against real backends, and how health survives reloads. */
class HealthCheckTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

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

    static String config(String lbExtra, String... urls) {
        String servers = java.util.Arrays.stream(urls).map(u -> "          - url: \"" + u + "\"")
                .collect(Collectors.joining("\n"));
        return """
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s:
                      loadBalancer:
                %s
                        servers:
                %s
                """.formatted(lbExtra.indent(8).stripTrailing(), servers);
    }

    private ServerState state(String url) {
        return proxy.proxy().states().servers("s@file").stream().filter(s -> s.url().equals(url)).findFirst()
                .orElseThrow(() -> new AssertionError("no state for " + url));
    }

    /** Answers /health with the given status, everything else with the backend's name. */
    private static Backend.Behaviour health(java.util.function.IntSupplier status) {
        return (backend, request, response, callback) -> {
            if (request.getHttpURI().getPath().equals("/health")) {
                response.setStatus(status.getAsInt());
                callback.succeeded();
            } else {
                response.write(true, java.nio.ByteBuffer.wrap(backend.name().getBytes()), callback);
            }
        };
    }

    /** {@code backend} answers its name until the returned flag is set; then it answers nothing, probes included. */
    private static java.util.concurrent.atomic.AtomicBoolean hangsWhenSet(Backend backend) {
        java.util.concurrent.atomic.AtomicBoolean hung = new java.util.concurrent.atomic.AtomicBoolean();
        backend.behave((b, request, response, callback) -> {
            if (!hung.get()) {
                response.write(true, java.nio.ByteBuffer.wrap(b.name().getBytes()), callback);
            }
        });
        return hung;
    }

    /** {@code n} GETs of / at once, each on its own thread. */
    private List<java.util.concurrent.CompletableFuture<org.eclipse.jetty.client.ContentResponse>> sendConcurrently(int n) {
        List<java.util.concurrent.CompletableFuture<org.eclipse.jetty.client.ContentResponse>> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return proxy.get("/");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        return requests;
    }

    private static long nonProbeRequests(Backend b) {
        return b.seen().stream().filter(s -> !s.path().equals("/health")).count();
    }

    @Test
    void anUnhealthyServerGetsNoRequestsUntilItIsHealthyAgain() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        java.util.concurrent.atomic.AtomicInteger bHealth = new java.util.concurrent.atomic.AtomicInteger(200);
        a.behave(health(() -> 200));
        b.behave(health(bHealth::get));
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 100ms, timeout: 2s}", a.url(), b.url()));
        await().atMost(PATIENCE).until(() -> b.seen().stream().anyMatch(s -> s.path().equals("/health")));
        bHealth.set(503);
        await().atMost(PATIENCE).until(() -> state(b.url()).status().equals("DOWN"));
        assertEquals("health check", state(b.url()).downReason());
        assertEquals("health check answered HTTP 503", state(b.url()).lastError());
        long before = nonProbeRequests(b);
        for (int i = 0; i < 20; i++) {
            assertEquals("a", proxy.get("/").getContentAsString());
        }
        assertEquals(before, nonProbeRequests(b), "a server found unhealthy gets no new requests");

        bHealth.set(200);
        await().atMost(PATIENCE).until(() -> state(b.url()).status().equals("UP"));
        for (int i = 0; i < 4; i++) {
            proxy.get("/");
        }
        assertTrue(nonProbeRequests(b) > before, "back in rotation");
    }

    @Test
    void thresholdsCountConsecutiveProbes() throws Exception {
        Backend a = backend("a");
        // Probe answers in order; after the script, healthy.
        Iterator<Integer> script = List.of(500, 500, 200, 500, 500, 500, 200, 200).iterator();
        List<String> statusAtProbe = new ArrayList<>();
        proxy = ProxyFixture.start(config("""
                healthCheck: {path: /health, interval: 50ms, timeout: 2s, unhealthyThreshold: 3, healthyThreshold: 2}""",
                a.url()));
        ServerState s = state(a.url());
        a.behave((backend, request, response, callback) -> {
            synchronized (statusAtProbe) {
                statusAtProbe.add(s.status());
                response.setStatus(script.hasNext() ? script.next() : 200);
            }
            callback.succeeded();
        });
        await().atMost(PATIENCE).until(() -> {
            synchronized (statusAtProbe) {
                return statusAtProbe.size() >= 10;
            }
        });
        synchronized (statusAtProbe) {
            // probe n sees the state after probe n-1 (probes of one server never overlap): down after
            // the third failure in a row (the first two were reset by a success), up after two successes
            assertEquals(List.of("UP", "UP", "UP", "UP", "UP", "UP", "DOWN", "DOWN", "UP"),
                    statusAtProbe.subList(0, 9), statusAtProbe::toString);
        }
    }

    @Test
    void probesUseMethodPathHostnameHeadersAndPort() throws Exception {
        Backend app = backend("app");
        Backend probes = backend("probes");
        proxy = ProxyFixture.start(config("""
                healthCheck:
                  path: /healthz?full=1
                  method: HEAD
                  hostname: health.local
                  port: %d
                  headers: {X-Probe: "yes"}
                  interval: 100ms""".formatted(probes.port()), app.url()));
        await().atMost(PATIENCE).until(() -> probes.count() > 0);
        Backend.Seen probe = probes.seen().get(0);
        assertEquals("HEAD", probe.method());
        assertEquals("/healthz", probe.path());
        assertEquals("full=1", probe.query());
        assertEquals("health.local", probe.header("Host"));
        assertEquals("yes", probe.header("X-Probe"));
        assertEquals(0, app.count(), "the port option sends probes elsewhere");
    }

    @Test
    void expectedStatusAndRedirects() throws Exception {
        Backend exact = backend("exact");
        Backend redirecting = backend("redirecting");
        Backend following = backend("following");
        exact.behave((backend, request, response, callback) -> callback.succeeded()); // 200
        Backend.Behaviour redirect = (backend, request, response, callback) -> {
            if (request.getHttpURI().getPath().equals("/health")) {
                response.setStatus(302);
                response.getHeaders().put(HttpHeader.LOCATION, "/broken");
            } else {
                response.setStatus(500);
            }
            callback.succeeded();
        };
        redirecting.behave(redirect);
        following.behave(redirect);
        proxy = ProxyFixture.start("""
                http:
                  services:
                    exact: {loadBalancer: {servers: [{url: "%s"}], healthCheck: {path: /health, status: 204, interval: 100ms}}}
                    noredirect: {loadBalancer: {servers: [{url: "%s"}], healthCheck: {path: /health, followRedirects: false, interval: 100ms}}}
                    redirect: {loadBalancer: {servers: [{url: "%s"}], healthCheck: {path: /health, interval: 100ms}}}
                """.formatted(exact.url(), redirecting.url(), following.url()));
        var states = proxy.proxy().states();
        await().atMost(PATIENCE).until(() -> states.servers("exact@file").iterator().next().status().equals("DOWN"));
        assertEquals("health check answered HTTP 200, expected 204", states.servers("exact@file").iterator().next().lastError());
        await().atMost(PATIENCE).until(() -> states.servers("redirect@file").iterator().next().status().equals("DOWN"));
        assertEquals("health check answered HTTP 500", states.servers("redirect@file").iterator().next().lastError(),
                "redirects are followed by default");
        ServerState noRedirect = states.servers("noredirect@file").iterator().next();
        await().atMost(PATIENCE).until(() -> noRedirect.lastCheck() != null);
        assertEquals("UP", noRedirect.status(), "without following, a 302 counts as healthy (2xx and 3xx pass)");
    }

    @Test
    void aHungServerIsMarkedDownAfterTheTimeout() throws Exception {
        HungServer hung = new HungServer();
        closeables.add(hung);
        Backend a = backend("a");
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 200ms, timeout: 300ms}", hung.url(), a.url()));
        await().atMost(PATIENCE).until(() -> state(hung.url()).status().equals("DOWN"));
        assertEquals("no answer within 300ms", state(hung.url()).lastError());
        for (int i = 0; i < 5; i++) {
            assertEquals("a", proxy.get("/").getContentAsString());
        }
    }

    @Test
    void getRequestsWaitingForAServerFoundDownAreSentElsewhere() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        java.util.concurrent.atomic.AtomicBoolean hung = hangsWhenSet(a);
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 300ms, timeout: 300ms}", a.url(), b.url()),
                ProxyFixture.SWITCHBOARD_PROFILE);
        await().atMost(PATIENCE).until(() -> a.count() > 0);
        hung.set(true);
        List<java.util.concurrent.CompletableFuture<org.eclipse.jetty.client.ContentResponse>> requests = sendConcurrently(6);
        for (var r : requests) {
            var response = r.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, response.getStatus());
            assertEquals("b", response.getContentAsString());
        }
        assertEquals("DOWN", state(a.url()).status());
        assertTrue(a.seen().stream().anyMatch(s -> !s.path().equals("/health")),
                "some requests had reached the hung server before it was found down");
    }

    @Test
    void aRefusedConnectionTakesTheServerOutAtOnceWithoutConfiguration() throws Exception {
        Backend a = backend("a");
        Backend dead = backend("dead");
        String deadUrl = dead.url();
        dead.close();
        proxy = ProxyFixture.start(config("strategy: wrr", deadUrl, a.url()), ProxyFixture.SWITCHBOARD_PROFILE);
        for (int i = 0; i < 10; i++) {
            assertEquals(200, proxy.get("/").getStatus(), "the refused request was sent to the other server");
        }
        ServerState s = state(deadUrl);
        assertEquals("DOWN", s.status());
        assertEquals("passive", s.downReason());
        assertEquals("connection refused", s.lastError());
        assertEquals(1, s.requests(), "one attempt, then nothing");
    }

    /**
     * Traefik v3.2 has no passive health check: a server that refuses connections stays in rotation
     * and UP until an active health check or a configuration change takes it out.
     */
    @Test
    void withoutAPassiveHealthCheckARefusingServerStaysInRotation() throws Exception {
        Backend a = backend("a");
        Backend dead = backend("dead");
        String deadUrl = dead.url();
        dead.close();
        proxy = ProxyFixture.start(config("strategy: wrr", deadUrl, a.url()));
        int badGateways = 0;
        for (int i = 0; i < 10; i++) {
            if (proxy.get("/").getStatus() == 502) {
                badGateways++;
            }
        }
        assertEquals(5, badGateways, "every other request still goes to the refusing server");
        ServerState s = state(deadUrl);
        assertEquals("UP", s.status());
        assertEquals(5, s.requests());
    }

    /**
     * Traefik v3.2: requests already sent to a server that hangs wait for their own timeout
     * ({@code responseHeaderTimeout}: 504) even after the health check marks it down; only new
     * requests avoid it.
     */
    @Test
    void requestsWaitingOnAServerFoundDownWaitForTheirOwnTimeout() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        java.util.concurrent.atomic.AtomicBoolean hung = hangsWhenSet(a);
        proxy = ProxyFixture.start(config("""
                healthCheck: {path: /health, interval: 1s, timeout: 300ms}
                serversTransport: slow""", a.url(), b.url())
                + "  serversTransports:\n    slow: {forwardingTimeouts: {responseHeaderTimeout: 4s}}\n");
        await().atMost(PATIENCE).until(() -> a.count() > 0);
        hung.set(true);
        long before = nonProbeRequests(a);
        List<java.util.concurrent.CompletableFuture<org.eclipse.jetty.client.ContentResponse>> requests = sendConcurrently(6);
        int timeouts = 0;
        for (var r : requests) {
            var response = r.get(20, java.util.concurrent.TimeUnit.SECONDS);
            if (response.getStatus() == 504) {
                timeouts++;
            } else {
                assertEquals("b", response.getContentAsString());
            }
        }
        assertEquals("DOWN", state(a.url()).status(), "the health check found it down meanwhile");
        assertEquals(nonProbeRequests(a) - before, timeouts, "every request sent to the hung server timed out: none was rescued");
        assertTrue(timeouts > 0, "some requests had reached the hung server before it was found down");
    }

    @Test
    void passiveHealthCheckCountsServerErrorsWithinTheWindow() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        b.behave((backend, request, response, callback) -> {
            response.setStatus(500);
            callback.succeeded();
        });
        proxy = ProxyFixture.start(config("passiveHealthCheck: {maxFailedAttempts: 2, failureWindow: 3s}", a.url(), b.url()));
        int errors = 0;
        for (int i = 0; i < 12; i++) {
            if (proxy.get("/").getStatus() == 500) {
                errors++;
            }
        }
        assertEquals(2, errors, "two 500s reach the client, then the server is out");
        assertEquals(2, b.count());
        assertEquals("DOWN", state(b.url()).status());
        assertEquals("HTTP 500 (2 failures within 3s)", state(b.url()).lastError());
        await().atMost(PATIENCE).until(() -> state(b.url()).status().equals("UP"));
        for (int i = 0; i < 4; i++) {
            proxy.get("/");
        }
        assertTrue(b.count() > 2, "after the failure window the server is tried again");
    }

    @Test
    void aPassivelyDownSingleServerIsStillTriedSoARestartIsServedAtOnce() throws Exception {
        Backend first = backend("first");
        int port = first.port();
        String url = first.url();
        first.close();
        proxy = ProxyFixture.start(config("strategy: wrr", url), ProxyFixture.SWITCHBOARD_PROFILE);
        assertEquals(502, proxy.get("/").getStatus());
        assertEquals("passive", state(url).downReason());
        assertEquals(502, proxy.get("/").getStatus(), "tried as a last resort, still refused: 502, not 503");
        Backend again = new Backend("again", "127.0.0.1", port);
        closeables.add(again);
        assertEquals("again", proxy.get("/").getContentAsString(), "served at once, without waiting for the window");
        await().atMost(PATIENCE).until(() -> state(url).status().equals("UP"));
    }

    /**
     * Traefik v3.2's health check is a ticker: the first probe comes one {@code interval} after the
     * configuration applies, and until then every server is UP and gets requests.
     */
    @Test
    void theFirstProbeComesOneIntervalAfterTheConfigurationApplies() throws Exception {
        Backend a = backend("a");
        a.behave(health(() -> 500));
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 5s, timeout: 3s}", a.url()));
        assertNull(state(a.url()).lastCheck(), "not probed yet");
        assertEquals("UP", state(a.url()).status());
        assertEquals("a", proxy.get("/").getContentAsString(), "a server nothing has probed gets requests");
        await().atMost(Duration.ofSeconds(20)).until(() -> state(a.url()).status().equals("DOWN"));
        assertEquals(503, proxy.get("/").getStatus());
    }

    /** The switchboard profile's steadyHealthChecks: the first probe runs at once. */
    @Test
    void withSteadyHealthChecksTheFirstProbeRunsAtOnce() throws Exception {
        Backend a = backend("a");
        a.behave(health(() -> 500));
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 1h, timeout: 3s}", a.url()),
                "--switchboard.steadyHealthChecks=true");
        await().atMost(PATIENCE).until(() -> state(a.url()).status().equals("DOWN"));
    }

    /**
     * Traefik v3.2 builds new balancers at every configuration change: a server its health check
     * had found down is UP again, and gets requests, until the new checker's first probe one
     * interval later.
     */
    @Test
    void aConfigurationChangeStartsEveryServerUpAgain() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        a.behave(health(() -> 500));
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 1s, timeout: 3s}", a.url(), b.url()));
        await().atMost(Duration.ofSeconds(15)).until(() -> state(a.url()).status().equals("DOWN"));
        java.util.concurrent.atomic.AtomicReference<String> atReload = new java.util.concurrent.atomic.AtomicReference<>();
        proxy.proxy().watcher().onReload(r -> atReload.compareAndSet(null, state(a.url()).status()));
        // Any change will do; this one keeps the service and its servers.
        proxy.writeDynamic(config("healthCheck: {path: /health, interval: 1s, timeout: 2s}", a.url(), b.url()));
        await().atMost(Duration.ofSeconds(15)).until(() -> atReload.get() != null);
        assertEquals("UP", atReload.get(), "the new configuration starts the server UP");
        await().atMost(Duration.ofSeconds(15)).until(() -> state(a.url()).status().equals("DOWN"));
    }

    @Test
    void healthAndBalancerPositionSurviveAReloadThatKeepsTheServer() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend c = backend("c");
        a.behave(health(() -> 200));
        b.behave(health(() -> 200));
        c.behave(health(() -> 500));
        // The switchboard profile (steadyHealthChecks): Traefik starts every server UP again at a reload.
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 100ms}", a.url(), b.url(), c.url()),
                ProxyFixture.SWITCHBOARD_PROFILE);
        await().atMost(PATIENCE).until(() -> state(c.url()).status().equals("DOWN"));
        ServerState aState = state(a.url());
        assertEquals("a", proxy.get("/").getContentAsString());
        long aRequests = aState.requests();

        // Probes now an hour apart: c stays DOWN only if its state survived the reload.
        proxy.writeDynamic(config("healthCheck: {path: /health, interval: 1h}", a.url(), b.url(), c.url()) + "# v2\n");
        await().atMost(PATIENCE).until(() -> proxy.proxy().runtime().services().get("s@file").config()
                instanceof dev.switchboard.proxy.config.dynamic.Service.LoadBalancer lb
                && lb.healthCheck().interval().equals(Duration.ofHours(1)));
        assertSame(aState, state(a.url()), "the same state object");
        assertEquals("DOWN", state(c.url()).status());
        assertEquals("b", proxy.get("/").getContentAsString(), "round robin continues after a, with b");
        assertEquals(aRequests, aState.requests());
        for (int i = 0; i < 6; i++) {
            assertFalse(proxy.get("/").getContentAsString().equals("c"));
        }

        // Without a health check nobody would ever bring c back: it is UP again.
        proxy.writeDynamic(config("strategy: wrr", a.url(), b.url(), c.url()));
        await().atMost(PATIENCE).until(() -> state(c.url()).status().equals("UP"));
    }

    @Test
    void badHealthCheckSettingsDisableTheServiceWithAClearError() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start("""
                http:
                  services:
                    grpc: {loadBalancer: {servers: [{url: "%1$s"}], healthCheck: {mode: grpc}}}
                    url: {loadBalancer: {servers: [{url: "%1$s"}], healthCheck: {path: "http://other/health"}}}
                    threshold: {loadBalancer: {servers: [{url: "%1$s"}], healthCheck: {path: /h, unhealthyThreshold: 0}}}
                    negative: {loadBalancer: {servers: [{url: "%1$s"}], healthCheck: {path: /h, interval: -1s}}}
                    scheme: {loadBalancer: {servers: [{url: "%1$s"}], healthCheck: {path: /h, scheme: ftp}}}
                    port: {loadBalancer: {servers: [{url: "%1$s"}], healthCheck: {path: /h, port: 70000}}}
                """.formatted(a.url()));
        var services = proxy.proxy().runtime().services();
        assertError(services.get("grpc@file"), "healthCheck mode grpc is not supported");
        assertError(services.get("url@file"), "healthCheck path must be a path such as /health, not a URL");
        assertError(services.get("threshold@file"), "unhealthyThreshold and healthyThreshold must be at least 1");
        assertError(services.get("scheme@file"), "healthCheck scheme \"ftp\" must be http or https");
        assertError(services.get("port@file"), "healthCheck port 70000 is not a port number");
        ServiceInfo negative = services.get("negative@file");
        assertEquals(Status.WARNING, negative.status());
        assertEquals(List.of("healthCheck interval must be positive, 30s is used"), negative.errors());
    }

    private static void assertError(ServiceInfo info, String expected) {
        assertNotNull(info);
        assertEquals(Status.DISABLED, info.status());
        assertTrue(info.errors().stream().anyMatch(e -> e.contains(expected)), info.errors()::toString);
    }

    @Test
    void probesStopWhenTheConfigurationIsReplaced() throws Exception {
        Backend a = backend("a");
        ConcurrentLinkedQueue<Long> probes = new ConcurrentLinkedQueue<>();
        a.behave((backend, request, response, callback) -> {
            probes.add(System.nanoTime());
            callback.succeeded();
        });
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 50ms}", a.url()));
        await().atMost(PATIENCE).until(() -> probes.size() >= 3);
        proxy.writeDynamic(config("strategy: wrr", a.url()));
        await().atMost(PATIENCE).until(() -> !(proxy.proxy().runtime().services().get("s@file").config()
                instanceof dev.switchboard.proxy.config.dynamic.Service.LoadBalancer lb && lb.healthCheck() != null));
        Thread.sleep(300);
        int settled = probes.size();
        Thread.sleep(500);
        assertEquals(settled, probes.size(), "the old checker stopped");
    }
}

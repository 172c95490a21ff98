package dev.switchboard.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hot reload of the file provider: changes apply without restart or dropped requests; broken files change nothing. */
class ReloadTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    /** Traefik's own option, for tests that change the file faster than Traefik's 2 s throttle lets through. */
    private static final String QUICK = "--providers.providersThrottleDuration=100ms";

    private Backend a;
    private Backend b;
    private ProxyFixture proxy;

    @BeforeEach
    void backends() throws Exception {
        a = new Backend("a");
        b = new Backend("b");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        a.close();
        b.close();
    }

    private String config(String rule, Backend backend) {
        return """
                http:
                  routers:
                    r: {rule: "%s", service: s}
                  services:
                    s:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(rule, backend.url());
    }

    private String body(String path) {
        try {
            ContentResponse r = proxy.get(path);
            return r.getStatus() + " " + r.getContentAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void aChangedFileAppliesWithoutRestart() throws Exception {
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a));
        assertEquals("200 a", body("/"));
        long written = System.nanoTime();
        proxy.writeDynamic(config("PathPrefix(`/`)", b));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> body("/").equals("200 b"));
        System.out.printf("reload: change visible %d ms after the write%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written));
    }

    @Test
    void reloadsUnderTrafficLoseNoRequest() throws Exception {
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a), QUICK);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentHashMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> clients = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        outcomes.computeIfAbsent(body("/"), k -> new AtomicInteger()).incrementAndGet();
                    }
                })).toList();
        for (int i = 0; i < 10; i++) {
            proxy.writeDynamic(config("PathPrefix(`/`)", i % 2 == 0 ? b : a));
            Thread.sleep(150);
        }
        running.set(false);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertEquals(java.util.Set.of("200 a", "200 b"), outcomes.keySet(), () -> "outcomes: " + outcomes);
        assertTrue(outcomes.get("200 a").get() > 10 && outcomes.get("200 b").get() > 10, outcomes::toString);
    }

    @Test
    void inFlightRequestsFinishOnTheOldConfiguration() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        a.behave((backend, request, response, callback) -> release.whenComplete((v, t) ->
                response.write(true, ByteBuffer.wrap("slow a".getBytes(StandardCharsets.UTF_8)), callback)));
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a), QUICK);
        CompletableFuture<ContentResponse> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.get("/");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(PATIENCE).until(() -> a.count() == 1);
        var initial = proxy.proxy().watcher().lastReload();
        proxy.writeDynamic(config("PathPrefix(`/`)", b));
        // Poll only once the new configuration applied: a request routed to the held backend would wait.
        await().atMost(PATIENCE).until(() -> proxy.proxy().watcher().lastReload() != initial);
        await().atMost(PATIENCE).until(() -> body("/").equals("200 b"));
        release.complete(null);
        ContentResponse r = inFlight.get(5, TimeUnit.SECONDS);
        assertEquals(200, r.getStatus());
        assertEquals("slow a", r.getContentAsString());
    }

    @Test
    void aBrokenFileKeepsThePreviousConfigurationServing() throws Exception {
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a));
        var watcher = proxy.proxy().watcher();
        proxy.writeDynamic("""
                http:
                  routers:
                    r:
                      rule: "PathPrefix(`/`)"
                     service: s
                """);
        await().atMost(PATIENCE).until(() -> watcher.lastReload() != null && !watcher.lastReload().success());
        String problem = watcher.lastReload().problems().get(0);
        assertTrue(problem.contains("dynamic.yml:5:6: YAML syntax error"), problem);
        assertEquals("200 a", body("/"), "the previous configuration still serves");

        proxy.writeDynamic("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s, middlewares: [nope]}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}]}}
                  middlewares:
                    strip: {stripPrefix: {prefixes: "not a list: fine, one value"}}
                    bad: {stripPrefix: {prefixes: [/a], frobnicate: true}}
                """.formatted(b.url()));
        await().atMost(PATIENCE).until(() -> watcher.lastReload().problems().get(0).contains("frobnicate"));
        assertFalse(watcher.lastReload().success());
        assertTrue(watcher.lastReload().problems().get(0).contains("dynamic.yml:8"), watcher.lastReload().problems()::toString);
        assertEquals("200 a", body("/"), "an unknown key rejects the whole file");

        proxy.writeDynamic(config("PathPrefix(`/`)", b));
        await().atMost(PATIENCE).until(() -> body("/").equals("200 b"));
        assertTrue(watcher.lastReload().success());
    }

    @Test
    void aFileAddedToTheDirectoryApplies() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-dir");
        Files.writeString(dir.resolve("a.yml"), """
                http:
                  routers:
                    ra: {rule: "PathPrefix(`/a`)", service: sa}
                  services:
                    sa:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(a.url()));
        proxy = ProxyFixture.startWith(dir, null, List.of("--entrypoints.web.address=127.0.0.1:0",
                "--providers.file.directory=" + dir));
        assertEquals("200 a", body("/a"));
        assertEquals(404, proxy.get("/b").getStatus());
        Files.writeString(dir.resolve("b.toml"), """
                [http.routers.rb]
                  rule = "PathPrefix(`/b`)"
                  service = "sb"
                [http.services.sb.loadBalancer]
                  [[http.services.sb.loadBalancer.servers]]
                    url = "%s"
                """.formatted(b.url()));
        await().atMost(PATIENCE).until(() -> body("/b").equals("200 b"));
        assertEquals("200 a", body("/a"));
        Files.delete(dir.resolve("b.toml"));
        await().atMost(PATIENCE).until(() -> body("/b").startsWith("404"));
    }

    /**
     * Traefik's {@code providersThrottleDuration} (2 s by default): a provider's configuration goes
     * through at once after a quiet 2 s, and what it sends sooner waits until they are over, so
     * two applies of one provider are at least 2 s apart. Measured on the applies themselves, not
     * on a clock a slow machine could stretch.
     */
    @Test
    void aProvidersChangesApplyAtMostOnceEveryTwoSecondsByDefault() throws Exception {
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a));
        var watcher = proxy.proxy().watcher();
        assertEquals(Duration.ofSeconds(2), proxy.proxy().staticConfig().providersThrottleDuration());
        List<java.time.Instant> applies = new java.util.concurrent.CopyOnWriteArrayList<>();
        watcher.onReload(r -> {
            if (r.success()) {
                applies.add(r.at());
            }
        });
        proxy.writeDynamic(config("PathPrefix(`/`)", b));
        await().atMost(Duration.ofSeconds(10)).until(() -> body("/").equals("200 b"));
        // The provider just went through: what it sends now waits for its 2 s.
        proxy.writeDynamic(config("PathPrefix(`/a`)", a));
        Thread.sleep(300);
        proxy.writeDynamic(config("PathPrefix(`/b`)", b));
        await().atMost(Duration.ofSeconds(10)).until(() -> body("/").startsWith("404"));
        assertEquals("200 b", body("/b"));
        assertEquals(2, applies.size(), "the two changes within the throttle time apply together, once: " + applies);
        Duration gap = Duration.between(applies.get(0), applies.get(1));
        assertTrue(gap.compareTo(Duration.ofMillis(1800)) >= 0, "the provider's next configuration waited for its 2 s: " + gap);
        assertEquals(404, proxy.get("/a").getStatus(), "only the latest of the waiting configurations applied");
    }

    /** Traefik skips a configuration equal to the one the provider sent before: no recompilation, no reload. */
    @Test
    void anUnchangedConfigurationIsSkipped() throws Exception {
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a), QUICK);
        var watcher = proxy.proxy().watcher();
        AtomicInteger applies = new AtomicInteger();
        watcher.onReload(r -> applies.incrementAndGet());
        proxy.writeDynamic(config("PathPrefix(`/`)", a) + "# the same routers, services and middlewares\n");
        Thread.sleep(500);
        proxy.writeDynamic(config("PathPrefix(`/`)", b));
        await().atMost(PATIENCE).until(() -> body("/").equals("200 b"));
        assertEquals(1, applies.get(), "only the change was applied");
    }

    /** The switchboard profile's quickReloads: 100 ms unless providersThrottleDuration is given. */
    @Test
    void quickReloadsGatherChangesForOneHundredMilliseconds() throws Exception {
        proxy = ProxyFixture.start(config("PathPrefix(`/`)", a), "--switchboard.quickReloads=true");
        assertEquals(Duration.ofMillis(100), proxy.proxy().staticConfig().providersThrottleDuration());
        proxy.writeDynamic(config("PathPrefix(`/`)", b));
        await().atMost(PATIENCE).until(() -> body("/").equals("200 b"));
    }
}

package dev.switchboard.proxy.service;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.upstream.ServerState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;

/**
 * Failover figures, printed rather than asserted (run {@link #main}, or {@code FailoverMeasurementTest}
 * for short runs): four backends under steady load through a real proxy,
 * <ol>
 * <li>one killed abruptly mid-run (listening socket and open connections closed at once): how many
 * requests the clients saw fail, GET and POST apart, and how long after the kill the proxy stopped
 * sending anything to the dead server;</li>
 * <li>one hung (accepts, reads, never answers): how long until the active health check marks it
 * down, for a given interval and timeout, and what happened to the requests sent to it meanwhile.</li>
 * </ol>
 */
public final class FailoverMeasurement {
    private FailoverMeasurement() {
    }

    /** What clients saw when one of four servers was killed. */
    public record KillFigures(String setup, int gets, int getErrors, int posts, int postErrors, long retries,
            long attemptsToDeadAfterKill, long lastAttemptToDeadAfterKillMs, String deadDownReason) {
        @Override
        public String toString() {
            return String.format("%-44s GET %5d, errors %d | POST %4d, errors %d | failed attempts %3d | dead server: "
                    + "%d attempts after the kill, the last %d ms after it", setup, gets, getErrors, posts, postErrors,
                    retries, attemptsToDeadAfterKill, lastAttemptToDeadAfterKillMs);
        }
    }

    /** What happened when one of four servers hung. */
    public record HangFigures(Duration interval, Duration timeout, long markedDownAfterMs, int requestsToHungServer,
            int clientErrors, String errorStatuses) {
        @Override
        public String toString() {
            return String.format("interval %-6s timeout %-6s marked down %5d ms after it hung | %d requests had been "
                    + "sent to it; client errors %d %s", dev.switchboard.proxy.config.Durations.format(interval),
                    dev.switchboard.proxy.config.Durations.format(timeout), markedDownAfterMs, requestsToHungServer,
                    clientErrors, errorStatuses);
        }
    }

    private static String config(String lbExtra, List<Backend> backends, String transport) {
        StringBuilder servers = new StringBuilder();
        for (Backend b : backends) {
            servers.append("          - url: \"").append(b.url()).append("\"\n");
        }
        return """
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s:
                      loadBalancer:
                %s
                        serversTransport: t
                        servers:
                %s  serversTransports:
                    t: {forwardingTimeouts: {%s}}
                """.formatted(lbExtra.indent(8).stripTrailing(), servers, transport);
    }

    private static Backend.Behaviour healthy() {
        return (backend, request, response, callback) ->
                response.write(true, ByteBuffer.wrap(backend.name().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * Four backends, {@code clients} clients sending GETs (and one POST in four) back to back for
     * {@code runFor}; the third backend is killed half-way. {@code flags}: more proxy flags (the profile).
     */
    public static KillFigures killOneOfFour(String setup, String lbExtra, Duration runFor, int clients, String... flags)
            throws Exception {
        List<Backend> backends = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            backends.add(new Backend("b" + i).behave(healthy()));
        }
        Backend victim = backends.get(2);
        try (ProxyFixture proxy = ProxyFixture.start(config(lbExtra, backends, "dialTimeout: 1s"), flags)) {
            ServerState dead = proxy.proxy().states().servers("s@file").stream()
                    .filter(s -> s.url().equals(victim.url())).findFirst().orElseThrow();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger gets = new AtomicInteger();
            AtomicInteger getErrors = new AtomicInteger();
            AtomicInteger posts = new AtomicInteger();
            AtomicInteger postErrors = new AtomicInteger();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                loops.add(CompletableFuture.runAsync(() -> {
                    int n = 0;
                    while (running.get()) {
                        boolean post = ++n % 4 == 0;
                        boolean ok;
                        try {
                            ContentResponse r = post
                                    ? proxy.request("/orders").method("POST")
                                            .body(new StringRequestContent("text/plain", "order " + n)).send()
                                    : proxy.get("/");
                            ok = r.getStatus() == 200;
                        } catch (Exception e) {
                            ok = false;
                        }
                        (post ? posts : gets).incrementAndGet();
                        if (!ok) {
                            (post ? postErrors : getErrors).incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(runFor.toMillis() / 2);
            long killNanos = System.nanoTime();
            long requestsAtKill = dead.requests();
            AtomicLong lastChange = new AtomicLong(killNanos);
            Thread watcher = new Thread(() -> {
                long seen = dead.requests();
                while (running.get()) {
                    long now = dead.requests();
                    if (now != seen) {
                        seen = now;
                        lastChange.set(System.nanoTime());
                    }
                    Thread.onSpinWait();
                }
            });
            watcher.setDaemon(true);
            watcher.start();
            victim.kill();
            Thread.sleep(runFor.toMillis() / 2);
            running.set(false);
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            watcher.join(1000);
            long retries = proxy.proxy().states().servers("s@file").stream().mapToLong(ServerState::failures).sum();
            return new KillFigures(setup, gets.get(), getErrors.get(), posts.get(), postErrors.get(), retries,
                    dead.requests() - requestsAtKill, TimeUnit.NANOSECONDS.toMillis(lastChange.get() - killNanos),
                    dead.downReason());
        } finally {
            for (Backend b : backends) {
                if (b != victim) {
                    b.close();
                }
            }
        }
    }

    /**
     * Four backends with an active health check; under steady GET load the third one hangs (reads
     * requests, answers none, probes included): how long until it is marked down.
     */
    public static HangFigures hangOneOfFour(Duration interval, Duration timeout, int clients, String... flags)
            throws Exception {
        List<Backend> backends = new ArrayList<>();
        AtomicBoolean hung = new AtomicBoolean();
        List<org.eclipse.jetty.util.Callback> parked = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 1; i <= 4; i++) {
            Backend b = new Backend("b" + i);
            boolean victim = i == 3;
            b.behave((backend, request, response, callback) -> {
                if (victim && hung.get()) {
                    parked.add(callback); // never answered
                    return;
                }
                response.write(true, ByteBuffer.wrap(backend.name().getBytes(StandardCharsets.UTF_8)), callback);
            });
            backends.add(b);
        }
        Backend victim = backends.get(2);
        String lb = "healthCheck: {path: /health, interval: %s, timeout: %s}".formatted(
                dev.switchboard.proxy.config.Durations.format(interval), dev.switchboard.proxy.config.Durations.format(timeout));
        try (ProxyFixture proxy = ProxyFixture.start(config(lb, backends, "responseHeaderTimeout: 3s"), flags)) {
            ServerState state = proxy.proxy().states().servers("s@file").stream()
                    .filter(s -> s.url().equals(victim.url())).findFirst().orElseThrow();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger errors = new AtomicInteger();
            java.util.Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                loops.add(CompletableFuture.runAsync(() -> {
                    while (running.get()) {
                        int status;
                        try {
                            status = proxy.get("/").getStatus();
                        } catch (Exception e) {
                            status = -1;
                        }
                        if (status != 200) {
                            errors.incrementAndGet();
                            statuses.merge(status, 1, Integer::sum);
                        }
                    }
                }));
            }
            Thread.sleep(interval.toMillis() + 200);
            long hungAt = System.nanoTime();
            long requestsBefore = state.requests();
            hung.set(true);
            while (state.available() && System.nanoTime() - hungAt < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(1);
            }
            long downAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungAt);
            int sentToHung = (int) (state.requests() - requestsBefore);
            Thread.sleep(3500); // let requests parked on the hung server time out
            running.set(false);
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            return new HangFigures(interval, timeout, downAfter, sentToHung, errors.get(), statuses.toString());
        } finally {
            for (Backend b : backends) {
                b.close();
            }
        }
    }

    /** Longer runs than the test's, with every setup; prints one line per run. */
    public static void main(String[] args) throws Exception {
        Duration run = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 6);
        System.out.println("Killing one of four backends mid-run, 8 clients, " + run.toSeconds() + " s:");
        System.out.println(killOneOfFour("traefik profile, no health configuration", "strategy: wrr", run, 8));
        System.out.println(killOneOfFour("traefik profile, healthCheck interval 1s", "healthCheck: {path: /health, interval: 1s}",
                run, 8));
        System.out.println(killOneOfFour("no health configuration", "strategy: wrr", run, 8, ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println(killOneOfFour("passiveHealthCheck: {}", "passiveHealthCheck: {}", run, 8,
                ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println(killOneOfFour("healthCheck interval 1s", "healthCheck: {path: /health, interval: 1s}", run, 8,
                ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println(killOneOfFour("leastconn, no health configuration", "strategy: leastconn", run, 8,
                ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println(killOneOfFour("no health configuration, 25 s (window 10 s)", "strategy: wrr",
                Duration.ofSeconds(25), 8, ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println("One of four backends hangs, 8 clients (responseHeaderTimeout 3s):");
        System.out.println("traefik profile:");
        System.out.println(hangOneOfFour(Duration.ofSeconds(1), Duration.ofMillis(500), 8));
        System.out.println(hangOneOfFour(Duration.ofSeconds(5), Duration.ofSeconds(1), 8));
        System.out.println("switchboard profile (rescueWaiting):");
        System.out.println(hangOneOfFour(Duration.ofSeconds(1), Duration.ofMillis(500), 8, ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println(hangOneOfFour(Duration.ofMillis(500), Duration.ofMillis(200), 8, ProxyFixture.SWITCHBOARD_PROFILE));
        System.out.println(hangOneOfFour(Duration.ofSeconds(5), Duration.ofSeconds(1), 8, ProxyFixture.SWITCHBOARD_PROFILE));
    }
}

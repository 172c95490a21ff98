package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Lab 5, health checks and failover: three replicas of app1 behind the proxy, broken on purpose, and
 * what the student configured against it, graded as Traefik v3.2 behaves (the proxy's default
 * profile): the proxy never sends a request again by itself, follows Docker's {@code die} and
 * {@code health_status} events after its providers throttle, and waits for a server's answer as long
 * as it takes. So the points come from the student's tools: an active health check on the readiness
 * probe (a replica that is not ready, or hung, is DOWN within seconds), the {@code retry} middleware
 * (a killed replica's refused connections go to another one) and
 * {@code serversTransport.forwardingTimeouts.responseHeaderTimeout} (requests that were on a hung
 * replica end in seconds). Requests that were on their way to a replica when it broke may fail: on
 * Traefik they always can. The producer's own Docker HEALTHCHECK (every 5 s, 3 s timeout, 3 failures
 * in a row) would take a sick container out too, but only after 15 to 25 s, and never shows it DOWN:
 * the checks watch for the proxy's verdict.
 */
public final class Lab5Failover implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String SERVICE = "app1";
    static final String ROUTER = "app1@docker";
    /** How long the clients of the hung-replica check wait for an answer: the proxy must notice sooner. */
    static final Duration CLIENT_PATIENCE = Duration.ofSeconds(8);
    /** The transport timeout the handout suggests: a hung server's requests end after this (504). */
    static final String RESPONSE_HEADER_TIMEOUT = "3s";
    /** The longest a request may wait on a hung replica with the transport's timeout: the timeout and room for a busy machine. */
    static final Duration BOUNDED_WAIT = Duration.ofSeconds(6);
    /**
     * A request sent this soon after the kill may have been on its way to the killed replica (a
     * connection that breaks after the request went out is not re-sent by Traefik): it may fail.
     */
    static final Duration IN_FLIGHT_AT_KILL = Duration.ofMillis(300);
    /** The precondition of every check that breaks a replica: app1's servers come up at all. */
    private static final String SERVERS_UP = "servers-up";
    private static final String SERVERS_UP_HINT = "app1's servers must be UP first: see the check \"The proxy balances "
            + "app1.localhost over three replicas\"";

    private static final String HEALTH_HINT = "give the service app1 a health check on the producer's readiness probe: "
            + "traefik.http.services.app1.loadbalancer.healthcheck.path=/actuator/health/readiness with "
            + "healthcheck.interval=1s and healthcheck.timeout=2s";

    @Override
    public String lab() {
        return "lab5";
    }

    @Override
    public String title() {
        return "Health checks and failover";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("three-replicas", "The proxy balances app1.localhost over three replicas", 10,
                        "run three replicas of app1: deploy: replicas: 3 under the app1 service (as the handout's Figure 7)",
                        Lab5Failover::threeReplicas).about("routers/" + ROUTER),
                new Check("unready-replica", "A replica that is not ready is taken out (DOWN on the dashboard) and comes back", 20,
                        HEALTH_HINT, Lab5Failover::unreadyReplica).about("routers/" + ROUTER),
                new Check("hung-replica-out", "A hung replica is taken out within seconds; after that no request fails", 25,
                        HEALTH_HINT + "; a hung replica answers nothing, so only the probe's timeout tells: detection takes at "
                                + "most interval + timeout, which must stay well under the clients' patience ("
                                + CLIENT_PATIENCE.toSeconds() + " s)",
                        this::hungReplicaOut).about("routers/" + ROUTER),
                new Check("hung-replica-bounded", "No request waits on a hung replica longer than the transport's timeout", 20,
                        "Traefik waits for a server's answer as long as it takes (responseHeaderTimeout 0s), so requests sent to a "
                                + "replica before it was found hung wait until the client gives up: bound the wait with "
                                + "--serversTransport.forwardingTimeouts.responseHeaderTimeout=" + RESPONSE_HEADER_TIMEOUT
                                + " in the reverse-proxy's command",
                        this::hungReplicaBounded).about("routers/" + ROUTER),
                new Check("kill-under-load", "A replica killed under load: requests sent after the kill do not fail", 25,
                        "a killed replica refuses connections until the proxy takes it out (its health check, or Docker's "
                                + "event after the providers throttle); Traefik sends a refused request to another server only "
                                + "through the retry middleware: traefik.http.middlewares.app1-retry.retry.attempts=3, attached "
                                + "with traefik.http.routers.app1.middlewares=app1-strip,app1-retry",
                        Lab5Failover::killUnderLoad).about("routers/" + ROUTER));
    }

    private static void threeReplicas(LabContext lab) throws Exception {
        JsonNode service = Labs.serviceOfRouter(lab, ROUTER);
        Optional<CheckFailed> probe = healthCheckProblem(lab, service);
        if (probe.isPresent()) {
            lab.knowFalse(SERVERS_UP, probe.get().getMessage());
            throw probe.get();
        }
        try {
            Labs.awaitServersUp(lab, service.path("name").asText(), lab.topology().replicas(SERVICE).size(), Duration.ofSeconds(60));
        } catch (CheckFailed f) {
            lab.knowFalse(SERVERS_UP, f.getMessage());
            throw f;
        }
        int servers = service.path("serverStatus").size();
        Map<String, Integer> spread = lab.spread(30, i -> lab.request(HOST, "/instance"), LabContext::instance);
        long replicas = spread.keySet().stream().filter(k -> !k.startsWith("status ") && !k.startsWith("error")).count();
        lab.note("service " + service.path("name").asText() + ": " + servers + " servers; 30 requests: " + spread);
        if (replicas < 3 || servers < 3) {
            throw new CheckFailed("30 requests for " + HOST + " were answered by " + replicas + " replica(s): " + spread
                    + "; the service has " + servers + " server(s)");
        }
    }

    /**
     * The service's health check asks each server for a path that a healthy replica does not answer
     * with 2xx or 3xx (a typo in the path, say): then every server is DOWN for good, which the checks
     * after this one need not wait 60 s each to find out.
     */
    private static Optional<CheckFailed> healthCheckProblem(LabContext lab, JsonNode service) throws Exception {
        JsonNode healthCheck = service.path("loadBalancer").path("healthCheck");
        String path = healthCheck.path("path").asText("");
        if (path.isEmpty() || lab.topology().replicas(SERVICE).isEmpty()) {
            return Optional.empty();
        }
        int replica = lab.topology().replicas(SERVICE).get(0);
        ContentResponse r;
        try {
            r = Labs.direct(lab, SERVICE, replica, Labs.PRODUCER_PORT, path.startsWith("/") ? path : "/" + path).send();
        } catch (Exception e) {
            return Optional.empty();
        }
        if (r.getStatus() >= 200 && r.getStatus() < 400) {
            return Optional.empty();
        }
        String readiness = "/actuator/health/readiness";
        String answer = Labs.direct(lab, SERVICE, replica, Labs.PRODUCER_PORT, readiness).send().getStatus() == 200
                ? "; " + readiness + " answers 200 there" : "";
        return Optional.of(new CheckFailed("the proxy's health check asks each server of " + service.path("name").asText()
                + " for " + path + ", and replica " + replica + ", which serves requests, answers it " + r.getStatus()
                + ": the proxy marks every server DOWN", "the health check path " + path + " is not a page of the producer"
                        + answer + ": traefik.http.services.app1.loadbalancer.healthcheck.path=" + readiness));
    }

    /** Waits for every server UP again (after an earlier check broke a replica); if they never are, later checks end at once. */
    private static JsonNode serversUp(LabContext lab, String serviceName, int servers) throws Exception {
        try {
            return Labs.awaitServersUp(lab, serviceName, servers, Duration.ofSeconds(60));
        } catch (CheckFailed f) {
            lab.knowFalse(SERVERS_UP, f.getMessage());
            throw f;
        }
    }

    /**
     * Why the service's health check did not take a broken replica out, from its settings on the API:
     * none at all, a path that a replica that is not ready still answers, too long an interval or (for a
     * hung replica) timeout; null when the settings look right (the check's own hint then).
     */
    private static String healthCheckHint(LabContext lab, String serviceName, boolean hung) {
        try {
            JsonNode hc = Labs.service(lab, serviceName).path("loadBalancer").path("healthCheck");
            if (hc.isMissingNode() || hc.isNull() || hc.path("path").asText("").isEmpty()) {
                return "the service " + serviceName + " has no health check: " + HEALTH_HINT;
            }
            String path = hc.path("path").asText();
            double interval = Lab7Algorithms.seconds(hc.path("interval").asText("30s"));
            double timeout = Lab7Algorithms.seconds(hc.path("timeout").asText("5s"));
            if (!hung && !path.startsWith("/actuator/health")) {
                return "the health check asks " + path + ", which a replica that is not ready still answers with 200: ask its "
                        + "readiness probe, healthcheck.path=/actuator/health/readiness";
            }
            if (interval > 5) {
                return "the health check runs every " + hc.path("interval").asText("30s") + " (its default is 30s): a broken "
                        + "replica keeps its requests that long: healthcheck.interval=1s";
            }
            if (hung && interval + timeout >= CLIENT_PATIENCE.toSeconds()) {
                return "the health check waits " + hc.path("timeout").asText("5s") + " for an answer every "
                        + hc.path("interval").asText("30s") + ": a hung replica is found out only after interval + timeout, "
                        + "longer than the clients' patience (" + CLIENT_PATIENCE.toSeconds() + " s): healthcheck.timeout=2s";
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The replica to break: the last one. */
    private static int victim(LabContext lab, int avoid) {
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        if (replicas.size() < 2) {
            throw new CheckFailed("app1 has " + replicas.size() + " replica: taking it out leaves nothing to send requests to",
                    "run three replicas (deploy: replicas: 3), then " + HEALTH_HINT);
        }
        int pick = replicas.get(replicas.size() - 1);
        return pick == avoid ? replicas.get(replicas.size() - 2) : pick;
    }

    /** The name of app1's service, once its servers are known to be able to come up at all. */
    private static String serviceName(LabContext lab) throws Exception {
        lab.require(SERVERS_UP, SERVERS_UP_HINT);
        return Labs.serviceOfRouter(lab, ROUTER).path("name").asText();
    }

    private static void unreadyReplica(LabContext lab) throws Exception {
        String serviceName = serviceName(lab);
        int replica = victim(lab, -1);
        JsonNode status = serversUp(lab, serviceName, lab.topology().replicas(SERVICE).size());
        String name = Labs.instance(lab, SERVICE, replica).path("name").asText();
        Optional<String> url = Labs.serverUrl(lab, status, SERVICE, replica);
        try {
            Labs.faults(lab, SERVICE, replica, "PATCH", "unhealthy=true");
            long set = System.nanoTime();
            Verdict down = awaitVerdict(lab, serviceName, url, "DOWN", Duration.ofSeconds(15));
            if (!down.seen()) {
                throw new CheckFailed("replica " + replica + " (" + name + ") answered 503 on /actuator/health/readiness, but "
                        + down.describe(url) + " for 15 s", healthCheckHint(lab, serviceName, false));
            }
            lab.note("replica " + replica + " (" + url.orElse(name) + ") DOWN " + ms(System.nanoTime() - set)
                    + " after its readiness probe said 503");
            Map<String, Integer> spread = lab.spread(30, i -> lab.request(HOST, "/instance"), LabContext::instance);
            if (spread.containsKey(name) || spread.keySet().stream().anyMatch(k -> k.startsWith("status ") || k.startsWith("error"))) {
                throw new CheckFailed("while replica " + replica + " was DOWN, 30 requests were answered " + spread,
                        "a server that is DOWN should get no request: " + HEALTH_HINT);
            }
            lab.note("30 requests meanwhile: " + spread);
            Labs.faults(lab, SERVICE, replica, "DELETE", null);
            long cleared = System.nanoTime();
            comesBack(lab, serviceName, url, replica, name);
            lab.note("UP again and serving " + ms(System.nanoTime() - cleared) + " after it was ready");
        } finally {
            Labs.clearFaults(lab, SERVICE, replica);
        }
    }

    /** What happened while a replica hung under load: shared by the two checks that judge it. */
    private record HungRun(int replica, String name, Optional<String> url, String serviceName, long hungAt, long downAt,
            List<Load.Exchange> exchanges) {

        /** Requests that started once the replica was DOWN (and the proxy had a moment to act on it). */
        List<Load.Exchange> afterDown() {
            return downAt == 0 ? List.of() : exchanges.stream().filter(e -> e.startNanos() > downAt + 500_000_000L).toList();
        }

        String figures() {
            List<Load.Exchange> failed = Load.failed(exchanges);
            long slowest = exchanges.stream().mapToLong(Load.Exchange::millis).max().orElse(0);
            return exchanges.size() + " requests from 4 clients, " + failed.size() + " failed, slowest " + slowest + " ms"
                    + (downAt == 0 ? "; the dashboard never showed it DOWN" : "; DOWN " + ms(downAt - hungAt) + " after it hung");
        }
    }

    /** The hung replica's run of each grading (a suite may grade many submissions in a row). */
    private final Map<LabContext, HungRun> hungRuns = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private HungRun hungRun(LabContext lab) throws Exception {
        HungRun run = hungRuns.get(lab);
        if (run == null) {
            run = hang(lab);
            hungRuns.put(lab, run);
        }
        return run;
    }

    private void hungReplicaOut(LabContext lab) throws Exception {
        HungRun run = hungRun(lab);
        if (run.downAt() == 0) {
            throw new CheckFailed("replica " + run.replica() + " (" + run.name() + ") hung: " + run.figures() + ": "
                    + verdict(lab, run.serviceName(), run.url()), healthCheckHint(lab, run.serviceName(), true));
        }
        long detection = run.downAt() - run.hungAt();
        if (detection > CLIENT_PATIENCE.toNanos()) {
            throw new CheckFailed("replica " + run.replica() + " hung and was DOWN only " + ms(detection) + " later, longer than "
                    + "the clients' patience (" + CLIENT_PATIENCE.toSeconds() + " s): " + run.figures());
        }
        List<Load.Exchange> failedAfter = Load.failed(run.afterDown());
        if (!failedAfter.isEmpty()) {
            throw new CheckFailed("replica " + run.replica() + " hung and was DOWN " + ms(detection) + " later, yet "
                    + failedAfter.size() + " requests sent after that failed: " + Load.byInstance(failedAfter) + " (" + run.figures()
                    + ")", "a server that is DOWN gets no request: " + HEALTH_HINT);
        }
        lab.note("replica " + run.replica() + " hung; " + run.figures() + "; " + run.afterDown().size() + " requests after that, "
                + "none failed");
        long cleared = System.nanoTime();
        comesBack(lab, run.serviceName(), run.url(), run.replica(), run.name());
        lab.note("UP again and serving " + ms(System.nanoTime() - cleared) + " after the hang ended");
    }

    private void hungReplicaBounded(LabContext lab) throws Exception {
        HungRun run = hungRun(lab);
        List<Load.Exchange> stuck = run.exchanges().stream().filter(e -> e.millis() > BOUNDED_WAIT.toMillis()).toList();
        if (!stuck.isEmpty()) {
            Load.Exchange first = stuck.get(0);
            throw new CheckFailed("replica " + run.replica() + " hung: " + stuck.size() + " requests waited over "
                    + BOUNDED_WAIT.toSeconds() + " s, the first " + first.millis() + " ms (" + first.outcome() + ") (" + run.figures()
                    + ")");
        }
        long failed = Load.failed(run.exchanges()).size();
        lab.note("replica " + run.replica() + " hung: the longest wait " + run.exchanges().stream().mapToLong(Load.Exchange::millis)
                .max().orElse(0) + " ms" + (failed == 0 ? "" : "; " + failed + " requests that were on it when it hung ended with "
                        + Load.byInstance(Load.failed(run.exchanges())).keySet()));
    }

    /**
     * Four clients send requests for 11 s, each waiting up to {@link #CLIENT_PATIENCE}; after 1 s a
     * replica hangs (accepts connections, answers nothing). Records when the dashboard showed it DOWN.
     */
    private HungRun hang(LabContext lab) throws Exception {
        String serviceName = serviceName(lab);
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        int replica = victim(lab, replicas.get(replicas.size() - 1));
        JsonNode status = serversUp(lab, serviceName, replicas.size());
        String name = Labs.instance(lab, SERVICE, replica).path("name").asText();
        Optional<String> url = Labs.serverUrl(lab, status, SERVICE, replica);
        AtomicLong hungAt = new AtomicLong();
        AtomicLong downAt = new AtomicLong();
        AtomicReference<String> monitorError = new AtomicReference<>();
        Thread monitor = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (hungAt.get() != 0 && downAt.get() == 0 && verdict(lab, serviceName, url).equals("DOWN")) {
                        downAt.set(System.nanoTime());
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    monitorError.set(e.toString());
                }
            }
        }, "lab5-monitor");
        monitor.setDaemon(true);
        List<Load.Exchange> exchanges;
        try {
            monitor.start();
            Thread hang = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                    Labs.faults(lab, SERVICE, replica, "PATCH", "hang=true");
                    hungAt.set(System.nanoTime());
                } catch (Exception e) {
                    monitorError.set("hanging replica " + replica + ": " + e);
                }
            }, "lab5-hang");
            hang.start();
            exchanges = Load.forDuration(4, Duration.ofSeconds(11), Duration.ofMillis(25),
                    i -> lab.request(HOST, "/instance").timeout(CLIENT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
            hang.join();
        } finally {
            monitor.interrupt();
            Labs.clearFaults(lab, SERVICE, replica);
        }
        if (hungAt.get() == 0) {
            throw new IllegalStateException("could not make replica " + replica + " hang: " + monitorError.get());
        }
        return new HungRun(replica, name, url, serviceName, hungAt.get(), downAt.get(), exchanges);
    }

    private static void killUnderLoad(LabContext lab) throws Exception {
        String serviceName = serviceName(lab);
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        int replica = victim(lab, -1);
        serversUp(lab, serviceName, replicas.size());
        AtomicLong killedAt = new AtomicLong();
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(2000);
                lab.topology().kill(SERVICE, replica);
                killedAt.set(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab5-kill");
        killer.start();
        List<Load.Exchange> exchanges = Load.forDuration(4, Duration.ofSeconds(7), Duration.ofMillis(25),
                i -> lab.request(HOST, "/users?limit=5"));
        killer.join();
        if (killedAt.get() == 0) {
            throw new IllegalStateException("could not kill replica " + replica);
        }
        long excused = killedAt.get() + IN_FLIGHT_AT_KILL.toNanos();
        List<Load.Exchange> after = exchanges.stream().filter(e -> e.startNanos() > excused).toList();
        List<Load.Exchange> failed = Load.failed(after);
        List<Load.Exchange> inFlight = Load.failed(exchanges.stream().filter(e -> e.startNanos() <= excused).toList());
        String figures = exchanges.size() + " GET /users from 4 clients, " + after.size() + " sent after the kill, "
                + failed.size() + " of them failed" + (inFlight.isEmpty() ? "" : "; " + inFlight.size() + " on their way when it "
                        + "was killed failed (" + Load.byInstance(inFlight).keySet() + ": Traefik never re-sends a request that "
                        + "reached a server)") + ", slowest " + exchanges.stream().mapToLong(Load.Exchange::millis).max().orElse(0)
                + " ms";
        if (!failed.isEmpty()) {
            throw new CheckFailed("replica " + replica + " killed under load: " + figures + "; failures: " + Load.byInstance(failed)
                    + ", the first " + ms(failed.get(0).startNanos() - killedAt.get()) + " after the kill", retryHint(lab));
        }
        lab.note("replica " + replica + " killed: " + figures);
    }

    /** What the API shows of a retry middleware: none, one not attached to the router, or one that makes a single attempt. */
    private static String retryHint(LabContext lab) {
        try {
            List<String> attached = new ArrayList<>();
            Labs.router(lab, ROUTER).path("middlewares").forEach(m -> attached.add(m.asText().contains("@") ? m.asText()
                    : m.asText() + "@docker"));
            List<String> retries = new ArrayList<>();
            Labs.middlewares(lab).forEach((name, m) -> {
                if (m.has("retry")) {
                    retries.add(name);
                }
            });
            if (retries.isEmpty()) {
                return "no retry middleware: Traefik sends a refused request to another server only through one, "
                        + "traefik.http.middlewares.app1-retry.retry.attempts=3, attached with "
                        + "traefik.http.routers.app1.middlewares=app1-strip,app1-retry";
            }
            List<String> used = retries.stream().filter(attached::contains).toList();
            if (used.isEmpty()) {
                return "the middleware " + String.join(", ", retries) + " is defined but not attached to the router app1 (it "
                        + "uses " + attached + "): traefik.http.routers.app1.middlewares=app1-strip," + retries.get(0)
                        .replaceFirst("@docker$", "");
            }
            int attempts = Labs.middlewares(lab).get(used.get(0)).path("retry").path("attempts").asInt(0);
            if (attempts < 2) {
                return "the middleware " + used.get(0) + " makes " + attempts + " attempt: the first one is the request "
                        + "itself, so it never tries another server: retry.attempts=3";
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Whether the broken replica's server shows {@code want}, waiting up to {@code patience}. */
    private static Verdict awaitVerdict(LabContext lab, String serviceName, Optional<String> url, String want, Duration patience)
            throws Exception {
        String[] last = {""};
        boolean seen = LabContext.eventually(patience, () -> (last[0] = verdict(lab, serviceName, url)).equals(want));
        return new Verdict(seen, last[0]);
    }

    /**
     * What the API says of the broken replica's server: {@code UP}, {@code DOWN}, or {@code gone}
     * (not a server of the service any more: Docker's own health check took the container out).
     * Without its URL (replicas behind mapped ports) a single DOWN server among UP ones is it.
     */
    private static String verdict(LabContext lab, String serviceName, Optional<String> url) throws Exception {
        JsonNode status = Labs.service(lab, serviceName).path("serverStatus");
        if (url.isPresent()) {
            return status.has(url.get()) ? status.get(url.get()).asText() : "gone";
        }
        int down = 0;
        for (Iterator<JsonNode> it = status.elements(); it.hasNext(); ) {
            down += "DOWN".equals(it.next().asText()) ? 1 : 0;
        }
        return down == 1 ? "DOWN" : down == 0 ? "UP" : down + " DOWN";
    }

    private record Verdict(boolean seen, String last) {
        String describe(Optional<String> url) {
            String server = "its server " + url.orElse("");
            return switch (last) {
                case "gone" -> server + " was not DOWN but gone: Docker's own HEALTHCHECK took the container out, after many "
                        + "seconds; the proxy's health check should have found it first and shown it DOWN";
                case "UP" -> server + " stayed UP on the dashboard";
                default -> server + " was " + last;
            };
        }
    }

    private static void comesBack(LabContext lab, String serviceName, Optional<String> url, int replica, String name) throws Exception {
        Verdict up = awaitVerdict(lab, serviceName, url, "UP", Duration.ofSeconds(30));
        if (!up.seen()) {
            throw new CheckFailed("replica " + replica + " was ready again, but 30 s later its server was still " + up.last(),
                    "the proxy keeps probing a DOWN server (every healthcheck.interval) and brings it back at "
                    + "the first answer: keep the health check's interval short");
        }
        List<String> answers = new ArrayList<>();
        boolean served = LabContext.eventually(Duration.ofSeconds(10), () -> {
            ContentResponse r = lab.get(HOST, "/instance");
            answers.add(LabContext.instance(r));
            return name.equals(LabContext.instance(r));
        });
        if (!served) {
            throw new CheckFailed("replica " + replica + " (" + name + ") is UP again but got none of " + answers.size()
                    + " requests: " + answers.subList(0, Math.min(10, answers.size())));
        }
    }

    private static String ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}

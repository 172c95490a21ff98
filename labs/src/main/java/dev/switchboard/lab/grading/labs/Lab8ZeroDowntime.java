package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/**
 * Lab 8, releases without downtime. Two releases of app1 run side by side as compose services,
 * {@code app1-blue} (three replicas) and {@code app1-green}, each reporting its release
 * ({@code APP_VERSION}, answered as {@code X-Version}). The file provider routes {@code app1.localhost}
 * through a weighted service naming both: everyone on blue (weights 1 and 0) until the switch, which
 * is one edit of the weights (blue/green); a second router with a higher priority sends testers
 * ({@code X-Tester: yes}) to green meanwhile. Then blue is redeployed replica by replica under load.
 *
 * <p>Graded as Traefik v3.2 behaves (the proxy's default profile), so that only what the student
 * configured earns points: the switch is the grader writing a file into the watched folder (the
 * student's weights swapped) and seeing every request move at once and back; a stopping replica's
 * requests in flight complete only if the producer shuts down gracefully ({@code SERVER_SHUTDOWN});
 * and a rolling redeploy loses no request only with the {@code retry} middleware, because Traefik
 * keeps sending to a stopped container until Docker's {@code die} event and its providers throttle
 * (2 s) take it out, and sends a refused request nowhere else by itself.
 */
public final class Lab8ZeroDowntime implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String ROUTER = "app1@file";
    static final String BLUE = "app1-blue";
    static final String GREEN = "app1-green";
    static final String TESTER_HEADER = "X-Tester";
    /** What the switch check writes into the watched folder; sorted first, so its definition wins. */
    static final String SWITCH_FILE = "00-grading-switch.yml";
    /** The latency the graceful-stop check gives the replica it stops: its requests are still in flight then. */
    static final int SLOW_MS = 2000;
    /** How long a replica started by the rolling redeploy may take to be in the proxy's rotation (a busy machine starts a JVM slowly). */
    static final Duration NEW_REPLICA_PATIENCE = Duration.ofMinutes(5);

    private static final String MOUNT = "./dynamic:/etc/switchboard/dynamic:ro";
    private static final String RELEASE_HINT = "in dynamic/release.yml, the weighted service app1 names both releases, "
            + "app1-blue@docker with weight 1 and app1-green@docker with weight 0; the router app1 (routes.yml) sends to it "
            + "(service: app1)";
    private static final String TESTERS_HINT = "in dynamic/routes.yml, a second router app1-testers: rule "
            + "\"(Host(`app1.localhost`) || PathPrefix(`/app1`)) && Header(`X-Tester`, `yes`)\", priority: 100, the middlewares "
            + "of app1, service: app1-green@docker";
    private static final String GRACEFUL_HINT = "let the producer finish its requests when Docker stops it: SERVER_SHUTDOWN: "
            + "graceful in app1-blue's environment (and app1-green's)";
    private static final String RETRY_HINT = "a stopped replica refuses connections until Docker's die event and the providers "
            + "throttle (2 s) take it out of the proxy's configuration; Traefik sends a refused request to another replica only "
            + "through the retry middleware: app1-retry with retry: attempts: 3 in routes.yml, in the middlewares of the routers "
            + "app1 and app1-testers";

    @Override
    public String lab() {
        return "lab8";
    }

    @Override
    public String title() {
        return "Releases without downtime";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("releases-deployed", "Blue and green run side by side, each reporting its release", 10,
                        "deploy green beside blue: the service app1-green with APP_VERSION: green and the two labels of "
                                + "app1-blue, named app1-green",
                        Lab8ZeroDowntime::releasesDeployed),
                new Check("blue-live", "app1.localhost: every request to blue, through a weighted service naming both releases", 15,
                        RELEASE_HINT, Lab8ZeroDowntime::blueLive),
                new Check("testers-on-green", "Requests with X-Tester: yes reach green, by host and by /app1", 15,
                        TESTERS_HINT, Lab8ZeroDowntime::testersOnGreen),
                new Check("switch-at-once", "Swapped weights move every request to green at once, and back, without a failure", 20,
                        "the proxy must watch its dynamic folder (--providers.file.watch=true, " + MOUNT + "), and the router "
                                + "app1 send to the weighted service app1 of release.yml",
                        Lab8ZeroDowntime::switchAtOnce).requires("blue-live"),
                new Check("graceful-stop", "A replica stopped while serving slow requests finishes them first", 15,
                        GRACEFUL_HINT, Lab8ZeroDowntime::gracefulStop),
                new Check("rolling-redeploy", "Blue redeployed replica by replica under load: no request fails", 25,
                        RETRY_HINT, Lab8ZeroDowntime::rollingRedeploy).requires("graceful-stop"));
    }

    /**
     * Which release each replica is, by its name ({@code X-Instance}), asked of each replica of
     * app1-blue and app1-green directly: so the checks of the routing do not depend on the releases
     * reporting themselves, which the first check grades.
     */
    static Map<String, String> releasesByInstance(LabContext lab) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String release : List.of(BLUE, GREEN)) {
            Labs.instanceNames(lab, release).values().forEach(n -> out.put(n, release.substring("app1-".length())));
        }
        return out;
    }

    /** The release an answer came from (its replica's compose service), or what came instead. */
    static String release(ContentResponse r, Map<String, String> releases) {
        if (r.getStatus() != 200) {
            return "status " + r.getStatus() + (r.getHeaders().get("X-Instance") == null ? "" : " from app1");
        }
        return releases.getOrDefault(LabContext.instance(r), "another replica");
    }

    private static Map<String, Integer> releases(LabContext lab, Map<String, String> releases, int n,
            java.util.function.IntFunction<Request> request) {
        return lab.spread(n, request::apply, r -> release(r, releases));
    }

    private static Request tester(LabContext lab, String host, String path) {
        return lab.request(host, path).headers(h -> h.put(TESTER_HEADER, "yes"));
    }

    private static void releasesDeployed(LabContext lab) throws Exception {
        List<String> notes = new ArrayList<>();
        for (String release : List.of(BLUE, GREEN)) {
            String version = release.substring("app1-".length());
            if (!lab.topology().compose().services().containsKey(release)) {
                throw new CheckFailed("the compose file has no service " + release,
                        "deploy " + version + " as the compose service " + release + ", built as app1-blue is, with APP_VERSION: "
                                + version);
            }
            int replicas = lab.topology().replicas(release).size();
            awaitRunning(lab, release, replicas);
            for (int replica : lab.topology().replicas(release)) {
                String reported = Labs.instance(lab, release, replica).path("version").asText("");
                if (!version.equals(reported)) {
                    throw new CheckFailed(release + " replica " + replica + " reports " + (reported.isEmpty() ? "no release"
                            : "the release " + reported) + " on /instance", "set APP_VERSION: " + version + " in " + release
                                    + "'s environment: the producer reports it on /instance and as X-Version");
                }
            }
            AtomicReference<Optional<JsonNode>> found = new AtomicReference<>(Optional.empty());
            LabContext.eventually(Duration.ofSeconds(60), () -> {
                found.set(service(lab, release + "@docker"));
                return found.get().isPresent() && found.get().get().path("serverStatus").toString().contains("UP");
            });
            Optional<JsonNode> service = found.get();
            if (service.isEmpty()) {
                throw new CheckFailed("the proxy has no service " + release + "@docker: the Docker provider did not find the "
                        + "labels of " + release, "label " + release + " as app1-blue is labelled: traefik.enable=true and "
                                + "traefik.http.services." + release + ".loadbalancer.server.port=8081");
            }
            int up = 0;
            for (JsonNode s : service.get().path("serverStatus")) {
                up += "UP".equals(s.asText()) ? 1 : 0;
            }
            if (up == 0) {
                throw new CheckFailed("service " + release + "@docker has no server UP: " + service.get().path("serverStatus"));
            }
            notes.add(release + "@docker: " + up + " server(s) UP, " + replicas + " replica(s) reporting " + version);
        }
        lab.note(String.join("; ", notes));
    }

    /**
     * Waits until {@code replicas} replicas of {@code service} answer {@code /instance} directly: the
     * producers of a busy machine take minutes to start, and what they report is what is graded.
     */
    private static void awaitRunning(LabContext lab, String service, int replicas) throws InterruptedException {
        LabContext.eventually(NEW_REPLICA_PATIENCE, () -> Labs.instanceNames(lab, service).size() >= replicas);
        int running = Labs.instanceNames(lab, service).size();
        if (running < replicas) {
            throw new CheckFailed("only " + running + " of the " + replicas + " replicas of " + service + " answer /instance after "
                    + NEW_REPLICA_PATIENCE.toMinutes() + " min: ./lab logs " + service + " says why");
        }
    }

    /** A service from the API, or empty when the proxy has none by that name. */
    private static Optional<JsonNode> service(LabContext lab, String name) throws Exception {
        ContentResponse r = lab.http().newRequest(lab.apiBase().resolve("/api/http/services/" + name))
                .timeout(10, TimeUnit.SECONDS).send();
        if (r.getStatus() == 404) {
            return Optional.empty();
        }
        return Optional.of(Labs.service(lab, name));
    }

    /**
     * The weighted service the router app1@file sends to; fails saying where it sends instead, or
     * which release the weighted service does not name.
     */
    static JsonNode releaseService(LabContext lab) throws Exception {
        JsonNode router = Labs.router(lab, ROUTER);
        if (!"enabled".equals(router.path("status").asText())) {
            throw new CheckFailed("the router " + ROUTER + " is " + router.path("status").asText() + ": " + router.path("error"),
                    "the proxy reports " + router.path("error") + " for the router app1 (the dashboard shows it too): fix "
                            + "dynamic/routes.yml or dynamic/release.yml");
        }
        JsonNode service = Labs.serviceOfRouter(lab, ROUTER);
        String name = service.path("name").asText();
        if (!service.has("weighted")) {
            throw new CheckFailed("the router " + ROUTER + " sends to " + name + ", which is not a weighted service",
                    "send the router app1 to a release switch instead of " + name + ": " + RELEASE_HINT);
        }
        List<String> children = children(service);
        for (String release : List.of(BLUE, GREEN)) {
            if (!children.contains(release + "@docker")) {
                throw new CheckFailed("the weighted service " + name + " names " + children + ", not " + release + "@docker",
                        "name both releases with their provider: " + RELEASE_HINT);
            }
        }
        return service;
    }

    /** The services a weighted service names, qualified ({@code app1-blue@docker}). */
    private static List<String> children(JsonNode weighted) {
        String provider = weighted.path("provider").asText("file");
        List<String> out = new ArrayList<>();
        weighted.path("weighted").path("services").forEach(s -> {
            String n = s.path("name").asText();
            out.add(n.contains("@") ? n : n + "@" + provider);
        });
        return out;
    }

    /** The weights of a weighted service's children, as the API shows them (1 when not given). */
    private static Map<String, Integer> weights(JsonNode weighted) {
        Map<String, Integer> out = new LinkedHashMap<>();
        weighted.path("weighted").path("services").forEach(s -> out.put(s.path("name").asText(), s.path("weight").asInt(1)));
        return out;
    }

    private static void blueLive(LabContext lab) throws Exception {
        JsonNode release = releaseService(lab);
        Map<String, String> names = releasesByInstance(lab);
        Map<String, Integer> byHost = releases(lab, names, 40, i -> lab.request(HOST, "/instance"));
        Map<String, Integer> byPath = releases(lab, names, 10, i -> lab.request(null, "/app1/instance"));
        lab.note(release.path("name").asText() + " " + weights(release) + "; 40 requests for " + HOST + ": " + byHost
                + "; 10 for /app1/instance: " + byPath);
        for (Map<String, Integer> seen : List.of(byHost, byPath)) {
            if (seen.getOrDefault("blue", 0) == seen.values().stream().mapToInt(Integer::intValue).sum()) {
                continue;
            }
            String what = (seen == byHost ? "40 requests for " + HOST : "10 requests for /app1/instance") + " were answered "
                    + seen;
            if (seen.containsKey("green")) {
                throw new CheckFailed(what, "until the switch every user stays on blue: weight 1 for app1-blue@docker and 0 for "
                        + "app1-green@docker (" + release.path("name").asText() + " has " + weights(release) + ")");
            }
            if (seen.keySet().stream().anyMatch(k -> k.startsWith("status 404"))) {
                throw new CheckFailed(what, "the rule of the router app1 must match both the host and the path: "
                        + "Host(`app1.localhost`) || PathPrefix(`/app1`), with the middleware app1-strip for /app1");
            }
            throw new CheckFailed(what);
        }
    }

    private static void testersOnGreen(LabContext lab) throws Exception {
        Map<String, String> names = releasesByInstance(lab);
        Map<String, Integer> byHost = releases(lab, names, 30, i -> tester(lab, HOST, "/instance"));
        Map<String, Integer> byPath = releases(lab, names, 10, i -> tester(lab, null, "/app1/instance"));
        lab.note("with " + TESTER_HEADER + ": yes, 30 requests for " + HOST + ": " + byHost + "; 10 for /app1/instance: " + byPath);
        for (Map<String, Integer> seen : List.of(byHost, byPath)) {
            if (seen.getOrDefault("green", 0) != seen.values().stream().mapToInt(Integer::intValue).sum()) {
                throw new CheckFailed("with " + TESTER_HEADER + ": yes, " + (seen == byHost ? "30 requests for " + HOST
                        : "10 requests for /app1/instance") + " were answered " + seen, testersHint(lab));
            }
        }
    }

    /**
     * Why a tester's request did not reach green, from the routers on the API: no router reads the
     * header, one is disabled, its priority does not beat app1's, it sends elsewhere, or its rule
     * does not match.
     */
    static String testersHint(LabContext lab) {
        try {
            JsonNode main = Labs.router(lab, ROUTER);
            int mainPriority = priority(main);
            List<JsonNode> testers = new ArrayList<>();
            for (JsonNode r : lab.api("/api/http/routers")) {
                if (!r.path("provider").asText().equals("internal") && r.path("rule").asText().toLowerCase(Locale.ROOT)
                        .contains("header")) {
                    testers.add(r);
                }
            }
            if (testers.isEmpty()) {
                return "no router reads the header " + TESTER_HEADER + ": " + TESTERS_HINT;
            }
            JsonNode t = testers.get(0);
            String name = t.path("name").asText();
            if (!"enabled".equals(t.path("status").asText())) {
                return "the router " + name + " is " + t.path("status").asText() + ": " + t.path("error")
                        + "; the dashboard (port 8080) shows the error";
            }
            String service = t.path("service").asText();
            if (!service.startsWith(GREEN + "@docker")) {
                return "the router " + name + " sends to " + service + ": testers go to green, service: " + GREEN + "@docker";
            }
            int priority = priority(t);
            if (priority <= mainPriority) {
                return "the router " + name + " has priority " + priority + " and app1 has " + mainPriority + ": when both match "
                        + "a request, the higher number wins (without a priority, a router's is the length of its rule): give "
                        + name.replaceFirst("@.*", "") + " priority: 100";
            }
            return "the router " + name + " has the rule " + t.path("rule").asText() + ", which a request for " + HOST
                    + " (or /app1/...) with the header " + TESTER_HEADER + ": yes does not match: the header's name and value "
                    + "must be exactly these";
        } catch (Exception e) {
            return TESTERS_HINT;
        }
    }

    /** A router's priority as the API shows it; without one, the length of its rule (Traefik v3's default). */
    private static int priority(JsonNode router) {
        int p = router.path("priority").asInt(0);
        return p != 0 ? p : router.path("rule").asText().length();
    }

    /** One client's requests while the grader changes a file: each answer's release, in order. */
    private record Watch(List<String> seen, List<Long> at) {
        synchronized void add(String release, long nanos) {
            seen.add(release);
            at.add(nanos);
        }

        synchronized List<String> after(long nanos) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < seen.size(); i++) {
                if (at.get(i) >= nanos) {
                    out.add(seen.get(i));
                }
            }
            return out;
        }

        synchronized Map<String, Integer> counts() {
            Map<String, Integer> c = new TreeMap<>();
            seen.forEach(s -> c.merge(s, 1, Integer::sum));
            return c;
        }
    }

    private static void switchAtOnce(LabContext lab) throws Exception {
        JsonNode release = releaseService(lab);
        String name = release.path("name").asText();
        String folder = DynamicFolder.of(lab, MOUNT);
        String file = folder + "/" + SWITCH_FILE;
        String startDate = DynamicFolder.startDate(lab);
        StringBuilder yaml = new StringBuilder("# Written by the lab 8 grader into its copy of your folder: the switch to green.\n"
                + "# Defined in a file that sorts first, this definition of " + name + " wins over yours.\nhttp:\n  services:\n    "
                + name.replaceFirst("@file$", "") + ":\n      weighted:\n        services:\n");
        for (String child : children(release)) {
            yaml.append("          - name: ").append(child).append("\n            weight: ")
                    .append(child.equals(GREEN + "@docker") ? 1 : 0).append('\n');
        }
        Map<String, String> names = releasesByInstance(lab);
        Watch watch = new Watch(new ArrayList<>(), new ArrayList<>());
        AtomicBoolean done = new AtomicBoolean();
        Thread client = new Thread(() -> {
            while (!done.get()) {
                String r;
                long at = System.nanoTime();
                try {
                    r = release(lab.get(HOST, "/instance"), names);
                } catch (Exception e) {
                    r = "error: " + e.getClass().getSimpleName();
                }
                watch.add(r, at);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lab8-switch-client");
        client.setDaemon(true);
        client.start();
        try {
            Thread.sleep(1000);
            long switched = System.nanoTime();
            lab.topology().writeFile(file, yaml.toString());
            long greenAfter = moved(lab, watch, switched, "green", "blue", "the grader wrote " + SWITCH_FILE + " with " + name
                    + " at blue 0, green 1");
            long rolledBack = System.nanoTime();
            lab.topology().writeFile(file, "# The grader's switch is over: your files define everything again.\nhttp: {}\n");
            long blueAfter = moved(lab, watch, rolledBack, "blue", "green", "the grader emptied " + SWITCH_FILE + " again (your "
                    + "weights: the rollback)");
            done.set(true);
            client.join(5000);
            List<String> failed = watch.seen().stream().filter(s -> !s.equals("blue") && !s.equals("green")).toList();
            if (!failed.isEmpty()) {
                throw new CheckFailed("while the releases switched, a client's requests were answered " + watch.counts(),
                        "no request may fail at the switch: both releases must be up and named in " + name);
            }
            if (!startDate.equals(DynamicFolder.startDate(lab))) {
                throw new CheckFailed("the proxy restarted (its start date went from " + startDate + " to "
                        + DynamicFolder.startDate(lab) + ")", "the switch must apply while the proxy runs: do not restart it");
            }
            lab.note("wrote " + SWITCH_FILE + " (" + name + " at blue 0, green 1): every request on green within " + greenAfter
                    + " ms; emptied it: every request back on blue within " + blueAfter + " ms; " + watch.seen().size()
                    + " requests, none failed");
        } finally {
            done.set(true);
        }
    }

    /**
     * Waits until the client's answers are on {@code to}; fails unless they moved within 15 s and, from
     * the first answer on {@code to}, none came from {@code from} again (at once, not progressively).
     * Returns how long it took, in milliseconds.
     */
    private static long moved(LabContext lab, Watch watch, long since, String to, String from, String what)
            throws InterruptedException {
        boolean arrived = LabContext.eventually(Duration.ofSeconds(15), () -> {
            List<String> after = watch.after(since);
            int first = after.indexOf(to);
            return first >= 0 && after.size() - first >= 10;
        });
        List<String> after = watch.after(since);
        if (!arrived) {
            throw new CheckFailed(what + "; 15 s later the requests still went " + count(after), to.equals("green")
                    ? "the proxy must watch its dynamic folder (--providers.file.watch=true, " + MOUNT + ") and the router app1 "
                            + "send to the weighted service it defines"
                    : null);
        }
        int first = after.indexOf(to);
        List<String> since1st = after.subList(first, after.size());
        if (since1st.contains(from)) {
            throw new CheckFailed(what + "; after the first answer from " + to + ", " + java.util.Collections.frequency(since1st, from)
                    + " more came from " + from + " (" + count(after) + "): not at once",
                    "blue/green moves everyone at once: the weighted service's weights are 1 and 0, not a progressive mix");
        }
        synchronized (watch) {
            for (int i = 0; i < watch.seen().size(); i++) {
                if (watch.at().get(i) >= since && watch.seen().get(i).equals(to)) {
                    return (watch.at().get(i) - since) / 1_000_000;
                }
            }
        }
        return -1;
    }

    private static Map<String, Integer> count(List<String> values) {
        Map<String, Integer> c = new TreeMap<>();
        values.forEach(v -> c.merge(v, 1, Integer::sum));
        return c;
    }

    /** The replicas of a service that answer (running), in order. */
    private static List<Integer> running(LabContext lab, String service) {
        return new ArrayList<>(Labs.instanceNames(lab, service).keySet());
    }

    /**
     * The checks that stop blue's replicas watch the requests for app1.localhost: they need some of
     * them to reach blue. When none does (the route is broken), they end at once as not checked.
     */
    private static void requireBlueReachable(LabContext lab) {
        Map<String, String> names = releasesByInstance(lab);
        Map<String, Integer> seen = releases(lab, names, 6, i -> lab.request(HOST, "/instance"));
        if (seen.getOrDefault("blue", 0) == 0) {
            throw new CheckFailed("not checked: 6 requests for " + HOST + " reached no replica of blue (" + seen + ")",
                    "fix the route to blue first: see the check \"app1.localhost: every request to blue, through a weighted "
                            + "service naming both releases\"");
        }
    }

    private static void gracefulStop(LabContext lab) throws Exception {
        requireBlueReachable(lab);
        List<Integer> replicas = running(lab, BLUE);
        if (replicas.size() < 2) {
            throw new CheckFailed(BLUE + " has " + replicas.size() + " replica(s) running: stopping one would leave nothing",
                    "run three replicas of app1-blue (deploy: replicas: 3)");
        }
        int victim = replicas.get(replicas.size() - 1);
        String name = Labs.instance(lab, BLUE, victim).path("name").asText();
        Labs.awaitServersUp(lab, BLUE + "@docker", replicas.size(), Duration.ofSeconds(60));
        Labs.faults(lab, BLUE, victim, "PATCH", "latencyMs=" + SLOW_MS);
        int n = 12;
        List<Load.Exchange> exchanges;
        AtomicReference<String> stopError = new AtomicReference<>();
        long[] stoppedAt = {0};
        Thread stopper = new Thread(() -> {
            try {
                boolean busy = LabContext.eventually(Duration.ofSeconds(30), () -> Labs.faults(lab, BLUE, victim, "GET", null)
                        .path("requestsSinceSet").asInt() > 0);
                if (!busy) {
                    stopError.set("no request reached replica " + victim + " within 30 s");
                    return;
                }
                // The first request is in; the others sent at the same time land within moments (each stays 2 s).
                Thread.sleep(300);
                stoppedAt[0] = System.nanoTime();
                lab.topology().stop(BLUE, victim);
            } catch (Exception e) {
                stopError.set("stopping replica " + victim + ": " + e);
            }
        }, "lab8-stop");
        stopper.start();
        exchanges = Load.requests(n, n, i -> lab.request(HOST, "/instance").timeout(SLOW_MS + 15_000L, TimeUnit.MILLISECONDS));
        stopper.join();
        if (stoppedAt[0] == 0) {
            Labs.clearFaults(lab, BLUE, victim);
            throw new CheckFailed("12 requests for " + HOST + " at once: " + Load.byInstance(exchanges) + "; " + stopError.get(),
                    "the requests for " + HOST + " should reach every replica of blue");
        }
        long onVictim = exchanges.stream().filter(e -> name.equals(e.instance())).count();
        List<Load.Exchange> failed = Load.failed(exchanges);
        String figures = n + " requests at once, " + onVictim + " answered by replica " + victim + " (" + name + "), slow ("
                + SLOW_MS + " ms), stopped while serving them";
        if (!failed.isEmpty()) {
            throw new CheckFailed(figures + "; " + failed.size() + " failed: " + Load.byInstance(failed), gracefulHint(lab));
        }
        if (onVictim == 0) {
            throw new CheckFailed(figures + ": none of the requests reached it", "the requests for " + HOST
                    + " should reach every replica of blue");
        }
        lab.note(figures + "; every one answered 200, the slowest in " + exchanges.stream().mapToLong(Load.Exchange::millis)
                .max().orElse(0) + " ms");
    }

    /** Why requests in flight were cut: the environment says the shutdown is immediate, or the grace is short. */
    private static String gracefulHint(LabContext lab) {
        Map<String, String> env = lab.topology().compose().services().get(BLUE).environment();
        String shutdown = env.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("SERVER_SHUTDOWN")
                || e.getKey().equalsIgnoreCase("server.shutdown")).map(Map.Entry::getValue).findFirst().orElse(null);
        if (shutdown != null && shutdown.trim().equalsIgnoreCase("immediate")) {
            return "app1-blue stops at once when Docker stops it (SERVER_SHUTDOWN: immediate, as Spring Boot before 3.4 did): the "
                    + "requests it was serving are cut; SERVER_SHUTDOWN: graceful finishes them first";
        }
        return "the requests a replica was serving when Docker stopped it were cut: " + GRACEFUL_HINT + "; Docker waits "
                + "stop_grace_period (10 s by default) before it kills";
    }

    private static void rollingRedeploy(LabContext lab) throws Exception {
        requireBlueReachable(lab);
        List<Integer> old = running(lab, BLUE);
        if (old.isEmpty()) {
            throw new CheckFailed(BLUE + " has no replica running");
        }
        Map<Integer, String> oldNames = Labs.instanceNames(lab, BLUE);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Exception> redeployError = new AtomicReference<>();
        List<String> steps = new ArrayList<>();
        Map<Integer, String> newNames = new TreeMap<>();
        Thread redeploy = new Thread(() -> {
            try {
                Thread.sleep(1500);
                for (int replica : old) {
                    int total = lab.topology().replicas(BLUE).size();
                    long start = System.nanoTime();
                    lab.topology().scale(BLUE, total + 1);
                    int added = lab.topology().replicas(BLUE).stream().mapToInt(Integer::intValue).max().orElseThrow();
                    newNames.put(added, awaitInRotation(lab, added));
                    long in = System.nanoTime();
                    lab.topology().stop(BLUE, replica);
                    steps.add("replica " + added + " in rotation after " + (in - start) / 1_000_000 + " ms, replica " + replica
                            + " stopped");
                    Thread.sleep(1000);
                }
                // The last stop's refused connections come while the proxy still has it: the die event, then the throttle.
                Thread.sleep(4000);
            } catch (Exception e) {
                redeployError.set(e);
            } finally {
                done.set(true);
            }
        }, "lab8-redeploy");
        redeploy.start();
        List<Load.Exchange> exchanges = Load.until(4, done::get, Duration.ofMillis(50), i -> lab.request(HOST, "/instance"));
        redeploy.join();
        if (redeployError.get() != null) {
            Exception e = redeployError.get();
            if (e instanceof CheckFailed f) {
                throw f;
            }
            throw new IllegalStateException("the rolling redeploy could not run: " + e, e);
        }
        List<Load.Exchange> failed = Load.failed(exchanges);
        long byNew = exchanges.stream().filter(e -> e.ok() && newNames.containsValue(e.instance())).count();
        long slowest = exchanges.stream().mapToLong(Load.Exchange::millis).max().orElse(0);
        String figures = exchanges.size() + " requests from 4 clients while " + old.size() + " replicas of blue were replaced one "
                + "at a time (" + String.join("; ", steps) + "): " + failed.size() + " failed, " + byNew + " answered by the new "
                + "replicas, slowest " + slowest + " ms";
        if (!failed.isEmpty()) {
            throw new CheckFailed(figures + "; failures: " + Load.byInstance(failed), retryHint(lab));
        }
        if (byNew == 0) {
            throw new CheckFailed(figures + ": the new replicas " + newNames.values() + " answered none",
                    "the new replicas of app1-blue must join the service app1-blue@docker (its labels)");
        }
        List<Load.Exchange> lastSecond = exchanges.subList(Math.max(0, exchanges.size() - 20), exchanges.size());
        if (lastSecond.stream().anyMatch(e -> oldNames.containsValue(e.instance()))) {
            throw new CheckFailed(figures + "; an old replica still answered at the end: " + Load.byInstance(lastSecond));
        }
        lab.note(figures);
    }

    /**
     * Waits until replica {@code replica} of blue answers requests for app1.localhost through the
     * proxy (its name in {@code X-Instance}): started, found healthy by Docker, and added by the proxy.
     * Returns its name.
     */
    private static String awaitInRotation(LabContext lab, int replica) throws Exception {
        AtomicReference<String> name = new AtomicReference<>();
        AtomicReference<Map<String, Integer>> seen = new AtomicReference<>(Map.of());
        boolean in = LabContext.eventually(NEW_REPLICA_PATIENCE, () -> {
            if (name.get() == null) {
                name.set(Labs.instance(lab, BLUE, replica).path("name").asText());
            }
            seen.set(lab.spread(8, i -> lab.request(HOST, "/instance"), LabContext::instance));
            return seen.get().containsKey(name.get());
        });
        if (!in) {
            throw new CheckFailed("the new replica " + replica + " of " + BLUE + (name.get() == null ? " did not start"
                    : " (" + name.get() + ") got no request for " + HOST + " (the last ones went " + seen.get() + ")") + " within "
                    + NEW_REPLICA_PATIENCE.toMinutes() + " min", "a new replica joins once Docker finds it healthy: its labels "
                            + "must name the service app1-blue");
        }
        return name.get();
    }

    /** What the API shows of the retry middleware on the router app1: none, not attached, or a single attempt. */
    private static String retryHint(LabContext lab) {
        try {
            JsonNode router = Labs.router(lab, ROUTER);
            List<String> attached = new ArrayList<>();
            router.path("middlewares").forEach(m -> attached.add(m.asText().contains("@") ? m.asText() : m.asText() + "@file"));
            Map<String, JsonNode> retries = new LinkedHashMap<>();
            Labs.middlewares(lab).forEach((name, m) -> {
                if (m.has("retry")) {
                    retries.put(name, m);
                }
            });
            if (retries.isEmpty()) {
                return "no retry middleware: " + RETRY_HINT;
            }
            List<String> used = retries.keySet().stream().filter(attached::contains).toList();
            if (used.isEmpty()) {
                return "the middleware " + String.join(", ", retries.keySet()) + " is defined but not attached to the router app1 "
                        + "(it uses " + attached + "): add " + retries.keySet().iterator().next().replaceFirst("@file$", "")
                        + " to its middlewares";
            }
            int attempts = retries.get(used.get(0)).path("retry").path("attempts").asInt(0);
            if (attempts < 2) {
                return "the retry middleware " + used.get(0) + " makes " + attempts + " attempt: the first attempt is the request "
                        + "itself, so attempts: 1 never sends it again; attempts: 3";
            }
            return RETRY_HINT;
        } catch (Exception e) {
            return RETRY_HINT;
        }
    }
}

package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.WeakHashMap;
import java.time.Duration;
import dev.switchboard.lab.grading.ProxyDiagnosis;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Lab 7, the algorithms compared: routers over the same four replicas of app1, one per way of
 * choosing a replica, with one replica made slow. Graded are the ways Traefik v3.2 has: round robin
 * ({@code /rr}, its only strategy), sticky sessions ({@code /sticky}, a client keeps its replica: what
 * the course's IP hashing is for) and a health check whose timeout takes a replica that got too slow out
 * of rotation ({@code /hc}: the nearest v3.2 gets to least response time). Each check finds and tries
 * its own route, so one broken route costs only its own points. Routes with the strategies of later
 * Traefik versions or of Switchboard only ({@code /lc}, {@code /lt}, {@code /ip}, {@code /p2c}) are
 * measured when present, for the chart, and earn nothing. The report carries the chart of share and
 * latency per route ({@code algorithms.svg}, with the figures in {@code algorithms.csv}).
 */
public final class Lab7Algorithms implements LabSuite {
    static final String SERVICE = "app1";
    /**
     * The replica made slow, and by how much: twice the health-check timeout the handout suggests
     * (200 ms), which is itself many times what a fast replica takes on a busy machine.
     */
    static final int SLOW_MS = 400;
    static final int CLIENTS = 8;
    static final int REQUESTS = 160;
    /** How long the slow replica may take to show DOWN behind /hc: interval + timeout, with margin for a loaded machine. */
    static final Duration DOWN_WITHIN = Duration.ofSeconds(10);

    /**
     * One route: its path prefix, how its service chooses a replica, how the chart names it, and the
     * Traefik version that has that way ({@code v3.2}: graded; a later one or none: measured only).
     */
    record Algorithm(String id, String prefix, String strategy, String label, String since) {
        boolean graded() {
            return since.equals("Traefik v3.2");
        }
    }

    static final List<Algorithm> ALGORITHMS = List.of(
            new Algorithm("round-robin", "/rr", "wrr", "round robin", "Traefik v3.2"),
            new Algorithm("sticky", "/sticky", "wrr + sticky cookie", "sticky sessions (8 clients)", "Traefik v3.2"),
            new Algorithm("health-timeout", "/hc", "wrr + health check", "health-check timeout", "Traefik v3.2"),
            new Algorithm("least-connections", "/lc", "leastconn", "least connections", "Switchboard only"),
            new Algorithm("least-time", "/lt", "leasttime", "least response time", "Traefik v3.6"),
            new Algorithm("ip-hash", "/ip", "hrw", "IP hash (one client)", "Traefik v3.6"),
            new Algorithm("p2c", "/p2c", "p2c", "power of two choices", "Traefik v3.4"));

    /** One route under load: requests per replica number, latency percentiles, failures. */
    record Measurement(Algorithm algorithm, Map<Integer, Integer> perReplica, int total, long p50, long p95, int failed) {
        double share(int replica) {
            return total == 0 ? 0 : perReplica.getOrDefault(replica, 0) / (double) total;
        }
    }

    /** The measurements of each grading (a suite may grade many submissions in a row). */
    private final Map<LabContext, Map<String, Measurement>> measured = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public String lab() {
        return "lab7";
    }

    @Override
    public String title() {
        return "The algorithms compared";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("round-robin", "Round robin (/rr): every replica gets a quarter, the slow one too", 30,
                        "give app1 a router rr with the rule PathPrefix(`/rr`), its own service (traefik.http.routers.rr.service="
                                + "app1-rr, traefik.http.services.app1-rr.loadbalancer.server.port=8081) and a stripprefix "
                                + "middleware; round robin is the default, no strategy label",
                        lab -> roundRobin(lab, ALGORITHMS.get(0))),
                new Check("sticky", "Sticky sessions (/sticky): a client that sends its cookie back keeps its replica", 35,
                        "give the service behind /sticky a sticky cookie: traefik.http.services.app1-sticky.loadbalancer"
                                + ".sticky.cookie.name=app1_sticky",
                        lab -> sticky(lab, ALGORITHMS.get(1))),
                new Check("health-timeout", "Health-check timeout (/hc): the slow replica is taken out, the others share the load", 35,
                        "give the service behind /hc a health check that the slow replica fails by answering late: "
                                + "traefik.http.services.app1-hc.loadbalancer.healthcheck.path=/instance, healthcheck.interval=1s, "
                                + "healthcheck.timeout=200ms",
                        lab -> healthTimeout(lab, ALGORITHMS.get(2))),
                new Check("beyond-traefik", "Beyond Traefik v3.2 (not graded): routes with later strategies, measured", 0,
                        "a route with a strategy label answered with errors: read the dashboard's router and service",
                        this::beyond));
    }

    // ---- the routes

    /** A route's service, once its route answers from app1's replicas and has a server per replica. */
    private static JsonNode route(LabContext lab, Algorithm a) throws Exception {
        Route route = routeOf(lab, a);
        JsonNode service = route.service();
        ContentResponse probe = lab.get(null, a.prefix() + "/instance");
        if (probe.getStatus() == 404 && probe.getHeaders().get("X-Instance") == null) {
            throw new CheckFailed("GET " + a.prefix() + "/instance answered 404 from the proxy: no router matched",
                    Labs.routerProblem(lab, route.router()).orElse(null));
        }
        int servers = service.path("serverStatus").size();
        Map<String, Integer> spread = lab.spread(8, i -> lab.request(null, a.prefix() + "/instance"), LabContext::instance);
        if (spread.keySet().stream().anyMatch(k -> k.startsWith("status ") || k.startsWith("error") || k.equals("?"))) {
            ContentResponse r = lab.get(null, a.prefix() + "/instance");
            if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") != null) {
                throw new CheckFailed("GET " + a.prefix() + "/instance answered " + spread + ": the producer got the path with "
                        + a.prefix() + " still on", Labs.stripPrefixHint(lab, route.router(), a.prefix()));
            }
            Labs.expectProducer(lab, r, "GET " + a.prefix() + "/instance", route.router());
            throw new CheckFailed("GET " + a.prefix() + "/instance answered " + spread);
        }
        int replicas = lab.topology().replicas(SERVICE).size();
        if (servers != replicas) {
            throw new CheckFailed("the service " + service.path("name").asText() + " behind " + a.prefix() + " has " + servers
                    + " servers, app1 has " + replicas + " replicas");
        }
        return service;
    }

    /** The router that takes a route's requests (by name, with its provider) and its service, from the API. */
    private record Route(String router, JsonNode service) {
    }

    private static boolean names(String rule, String prefix) {
        return rule.contains("`" + prefix + "`") || rule.contains("\"" + prefix + "\"") || rule.contains("`" + prefix + "/`");
    }

    /**
     * The enabled router whose rule names the route's prefix, and its service, from the API; when there is
     * none, what the proxy says about the router the handout names (rr, sticky, hc), else the rules there are.
     */
    private static Route routeOf(LabContext lab, Algorithm a) throws Exception {
        List<String> rules = new ArrayList<>();
        for (JsonNode r : lab.api("/api/http/routers")) {
            String rule = r.path("rule").asText();
            if (r.path("provider").asText().equals("internal")) {
                continue;
            }
            rules.add(r.path("name").asText() + ": " + rule);
            if (names(rule, a.prefix()) && "enabled".equals(r.path("status").asText())) {
                String service = r.path("service").asText();
                return new Route(r.path("name").asText(),
                        Labs.service(lab, service.contains("@") ? service : service + "@" + r.path("provider").asText()));
            }
        }
        String router = a.prefix().substring(1);
        String fallback = "add a router for " + a.prefix() + ": traefik.http.routers." + router + ".rule=PathPrefix(`" + a.prefix()
                + "`), with traefik.http.routers." + router + ".service=app1-" + router;
        throw new CheckFailed("no enabled router has a rule for " + a.prefix() + " (routers: " + (rules.isEmpty() ? "none" : rules)
                + ")", ProxyDiagnosis.of(lab, List.of("routers/" + router + "@docker")).orElse(fallback));
    }

    private static JsonNode serviceOf(LabContext lab, Algorithm a) throws Exception {
        return routeOf(lab, a).service();
    }

    private static String strategy(JsonNode service) {
        String strategy = service.path("loadBalancer").path("strategy").asText("");
        return strategy.isEmpty() ? "wrr" : strategy.toLowerCase(Locale.ROOT);
    }

    // ---- the checks

    private void roundRobin(LabContext lab, Algorithm a) throws Exception {
        JsonNode service = route(lab, a);
        if (!strategy(service).equals("wrr")) {
            throw new CheckFailed("the service " + service.path("name").asText() + " behind " + a.prefix() + " uses the strategy "
                    + strategy(service) + ", not round robin (wrr)", "round robin is the default: remove the label "
                            + "traefik.http.services." + service.path("name").asText().replaceFirst("@.*", "") + ".loadbalancer.strategy");
        }
        Measurement m = measure(lab, a, i -> lab.request(null, a.prefix() + "/instance"));
        for (Map.Entry<Integer, Integer> e : m.perReplica().entrySet()) {
            double share = m.share(e.getKey());
            if (share < 0.15 || share > 0.35) {
                throw new CheckFailed("round robin should give each of " + m.perReplica().size() + " replicas about "
                        + percent(1.0 / m.perReplica().size()) + ": " + figures(lab, m),
                        service.path("loadBalancer").has("healthCheck") ? "a health check on the round-robin service took "
                                + "a replica out: round robin alone has none" : null);
            }
        }
    }

    private void sticky(LabContext lab, Algorithm a) throws Exception {
        JsonNode service = route(lab, a);
        Map<String, Integer> names = Labs.replicasByInstance(lab, SERVICE);
        ContentResponse first = lab.get(null, a.prefix() + "/instance");
        String cookie = cookie(first);
        if (cookie == null) {
            List<String> sticky = new ArrayList<>();
            for (JsonNode other : lab.api("/api/http/services")) {
                if (other.path("loadBalancer").path("sticky").has("cookie")) {
                    sticky.add(other.path("name").asText());
                }
            }
            throw new CheckFailed("GET " + a.prefix() + "/instance set no cookie (the service " + service.path("name").asText()
                    + " has " + (service.path("loadBalancer").has("sticky") ? "a sticky section but no cookie"
                            : "no sticky cookie") + ")", sticky.isEmpty() ? null : "the sticky cookie is on " + sticky
                                    + ", not on " + service.path("name").asText() + ", the service behind " + a.prefix()
                                    + ": traefik.http.services." + service.path("name").asText().replaceFirst("@.*", "")
                                    + ".loadbalancer.sticky.cookie.name=app1_sticky");
        }
        String pinned = LabContext.instance(first);
        List<String> withCookie = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ContentResponse r = lab.request(null, a.prefix() + "/instance").headers(h -> h.put(HttpHeader.COOKIE, cookie)).send();
            withCookie.add(r.getStatus() == 200 ? LabContext.instance(r) : "status " + r.getStatus());
        }
        long same = withCookie.stream().filter(pinned::equals).count();
        if (same != withCookie.size()) {
            throw new CheckFailed("with the cookie " + cookie + " from " + pinned + ", 20 requests went " + count(withCookie));
        }
        Map<String, Integer> fresh = lab.spread(4 * names.size(), i -> lab.request(null, a.prefix() + "/instance"),
                LabContext::instance);
        if (fresh.size() < Math.min(3, names.size())) {
            throw new CheckFailed("new clients (no cookie) all went to " + fresh + ": sticky sessions keep a client's replica, "
                    + "but each new client should still get the next one");
        }
        lab.note("cookie " + cookie + " from " + pinned + ": 20 of 20 requests to it; " + fresh.size() + " replicas for new clients");
        List<String> cookies = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String own = cookie(lab.get(null, a.prefix() + "/instance"));
            cookies.add(own == null ? "" : own);
        }
        measure(lab, a, i -> lab.request(null, a.prefix() + "/instance")
                .headers(h -> h.put(HttpHeader.COOKIE, cookies.get(i % CLIENTS))));
    }

    private void healthTimeout(LabContext lab, Algorithm a) throws Exception {
        JsonNode service = route(lab, a);
        String name = service.path("name").asText();
        JsonNode healthCheck = service.path("loadBalancer").path("healthCheck");
        if (healthCheck.isMissingNode() || healthCheck.isNull()) {
            throw new CheckFailed("the service " + name + " behind " + a.prefix() + " has no health check (strategy "
                    + strategy(service) + ")", strategy(service).equals("wrr") ? null : "the strategy " + strategy(service)
                            + " is not in Traefik v3.2 (" + since(strategy(service)) + "); on v3.2 a health check whose timeout "
                            + "is shorter than the slow replica's delay takes it out: healthcheck.path=/instance, "
                            + "healthcheck.timeout=200ms");
        }
        int slow = slowReplica(lab);
        Optional<String> url = Labs.serverUrl(lab, Labs.service(lab, name).path("serverStatus"), SERVICE, slow);
        String[] last = {""};
        boolean down = LabContext.eventually(DOWN_WITHIN, () -> (last[0] = verdict(lab, name, url)).equals("DOWN"));
        String path = healthCheck.path("path").asText("/");
        if (!down) {
            String timeout = healthCheck.path("timeout").asText("5s");
            throw new CheckFailed("replica " + slow + " answers " + SLOW_MS + " ms late, and " + DOWN_WITHIN.toSeconds()
                    + " s later its server behind " + a.prefix() + " was " + last[0] + " (health check: " + path + ", timeout "
                    + timeout + ")", path.startsWith("/actuator") || path.startsWith("/admin")
                            ? "the health check asks " + path + ", which the slow replica answers at once (its delay is on "
                                    + "application requests): ask a page it serves late, healthcheck.path=/instance"
                            : seconds(healthCheck.path("interval").asText("30s")) > 5
                            ? "the health check runs every " + healthCheck.path("interval").asText("30s") + " (its default is 30s), "
                                    + "so a replica that got slow keeps its share that long: healthcheck.interval=1s"
                            : "the health check waits " + timeout + " for an answer, longer than the slow replica's delay ("
                                    + SLOW_MS + " ms): healthcheck.timeout=200ms");
        }
        Measurement m = measure(lab, a, i -> lab.request(null, a.prefix() + "/instance"));
        if (m.share(slow) > 0.02) {
            throw new CheckFailed("the slow replica " + slow + " was DOWN behind " + a.prefix() + ", yet got " + percent(m.share(slow))
                    + " of the requests: " + figures(lab, m));
        }
        long fast = m.perReplica().entrySet().stream().filter(e -> e.getKey() != slow && e.getValue() > 0).count();
        if (fast < m.perReplica().size() - 1) {
            throw new CheckFailed("with the slow replica out, the others should share the load: " + figures(lab, m),
                    "a fast replica was DOWN too: its answers to " + path + " took longer than the health check's timeout ("
                            + healthCheck.path("timeout").asText("5s") + "); leave room for a busy machine, and keep it under "
                            + SLOW_MS + " ms");
        }
        lab.note("replica " + slow + " DOWN behind " + a.prefix());
    }

    /** Routes with strategies of later Traefik versions or of Switchboard only: measured for the chart, never graded. */
    private void beyond(LabContext lab) throws Exception {
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Algorithm a : ALGORITHMS.stream().filter(x -> !x.graded()).toList()) {
            JsonNode service;
            try {
                service = serviceOf(lab, a);
            } catch (CheckFailed e) {
                continue;
            }
            Measurement m = measure(lab, a, i -> lab.request(null, a.prefix() + "/instance"));
            notes.add(a.prefix() + " (" + strategy(service) + ", " + since(strategy(service)) + ")");
            if (m.failed() > 0) {
                failures.add(a.prefix() + ": " + m.failed() + " of " + m.total() + " failed");
            }
        }
        if (!notes.isEmpty()) {
            lab.note("measured " + String.join(", ", notes) + "; traefik:v3.2 does not know the strategy label and would leave "
                    + "out every router and service of the container that carries it");
        } else {
            lab.note("no route with a later strategy (/lc, /lt, /ip, /p2c): nothing to measure");
        }
        if (!failures.isEmpty()) {
            throw new CheckFailed(String.join("; ", failures));
        }
    }

    /** A Go duration as the API shows it ({@code 1s}, {@code 200ms}, {@code 1m30s}) in seconds. */
    static double seconds(String duration) {
        double total = 0;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)(ms|us|µs|ns|h|m|s)").matcher(duration);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> v * 3600;
                case "m" -> v * 60;
                case "s" -> v;
                case "ms" -> v / 1e3;
                case "us", "µs" -> v / 1e6;
                default -> v / 1e9;
            };
        }
        return total;
    }

    /** Where a strategy comes from, for notes and hints. */
    static String since(String strategy) {
        return switch (strategy) {
            case "wrr" -> "Traefik v3.2";
            case "p2c" -> "Traefik v3.4";
            case "hrw", "leasttime" -> "Traefik v3.6";
            default -> "Switchboard only";
        };
    }

    /** Runs the load through a route, records it for the chart, notes the figures. */
    private Measurement measure(LabContext lab, Algorithm a, java.util.function.IntFunction<org.eclipse.jetty.client.Request> request)
            throws Exception {
        Map<String, Integer> names = Labs.replicasByInstance(lab, SERVICE);
        int slow = slowReplica(lab);
        List<Load.Exchange> exchanges = Load.requests(CLIENTS, REQUESTS, request);
        Map<Integer, Integer> perReplica = new TreeMap<>();
        names.values().forEach(n -> perReplica.put(n, 0));
        for (Load.Exchange e : exchanges) {
            if (e.ok() && names.containsKey(e.instance())) {
                perReplica.merge(names.get(e.instance()), 1, Integer::sum);
            }
        }
        List<Load.Exchange> ok = exchanges.stream().filter(Load.Exchange::ok).toList();
        Measurement m = new Measurement(a, perReplica, exchanges.size(), Load.percentile(ok, 50), Load.percentile(ok, 95),
                exchanges.size() - ok.size());
        Map<String, Measurement> mine = measured.computeIfAbsent(lab, k -> Collections.synchronizedMap(new LinkedHashMap<>()));
        mine.put(a.id(), m);
        List<Measurement> all = ALGORITHMS.stream().map(x -> mine.get(x.id())).filter(java.util.Objects::nonNull).toList();
        lab.attach("algorithms.svg", "share of requests per replica and latency per route, replica " + slow + " slow (+"
                + SLOW_MS + " ms)", Lab7Chart.svg(all, slow, SLOW_MS, CLIENTS));
        lab.attach("algorithms.csv", "the chart's figures", Lab7Chart.csv(all, slow));
        lab.note(figures(lab, m));
        if (m.failed() > 0 && a.graded()) {
            throw new CheckFailed(m.failed() + " of " + m.total() + " requests through " + a.prefix() + " failed: "
                    + Load.byInstance(Load.failed(exchanges)));
        }
        return m;
    }

    private static String figures(LabContext lab, Measurement m) throws Exception {
        return shares(m, slowReplicaNumber(lab)) + "; p50 " + m.p50() + " ms, p95 " + m.p95() + " ms";
    }

    /** What the API says of the slow replica's server in a service: UP, DOWN, or gone. */
    private static String verdict(LabContext lab, String serviceName, Optional<String> url) throws Exception {
        JsonNode status = Labs.service(lab, serviceName).path("serverStatus");
        if (url.isPresent()) {
            return status.has(url.get()) ? status.get(url.get()).asText() : "gone";
        }
        int down = 0;
        for (JsonNode s : status) {
            down += "DOWN".equals(s.asText()) ? 1 : 0;
        }
        return down == 1 ? "DOWN" : down == 0 ? "UP" : down + " DOWN";
    }

    private static String cookie(ContentResponse r) {
        List<String> cookies = new ArrayList<>();
        for (HttpField f : r.getHeaders().getFields(HttpHeader.SET_COOKIE)) {
            cookies.add(f.getValue().split(";", 2)[0].trim());
        }
        return cookies.isEmpty() ? null : String.join("; ", cookies);
    }

    private static Map<String, Integer> count(List<String> values) {
        Map<String, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }

    private static int slowReplicaNumber(LabContext lab) {
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        return replicas.get(replicas.size() - 1);
    }

    /**
     * Makes the last replica slow (the producer's latency fault, {@code PATCH /admin/faults?latencyMs=}{@value #SLOW_MS});
     * the same for every algorithm, so the comparison is fair.
     */
    private static int slowReplica(LabContext lab) throws Exception {
        int slow = slowReplicaNumber(lab);
        JsonNode faults = Labs.faults(lab, SERVICE, slow, "PATCH", "latencyMs=" + SLOW_MS);
        if (faults.path("latencyMs").asInt() != SLOW_MS) {
            throw new IllegalStateException("replica " + slow + " did not take the latency fault: " + faults);
        }
        return slow;
    }

    private static String shares(Measurement m, int slow) {
        List<String> parts = new ArrayList<>();
        m.perReplica().forEach((replica, count) -> parts.add("replica " + replica + (replica == slow ? " (slow)" : "") + " "
                + percent(m.share(replica))));
        return m.total() + " requests from " + CLIENTS + " clients: " + String.join(", ", parts);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}

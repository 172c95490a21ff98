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
import java.util.WeakHashMap;

/**
 * Lab 7, the algorithms compared: four routers over the same four replicas of app1, one per
 * strategy (round robin, least connections, least response time, IP hash), with one replica made
 * slow. Each check reads the strategy from the API, runs the same load through its route and judges
 * the spread; together they draw the chart of share and latency per algorithm that the report
 * carries ({@code algorithms.svg}, with the figures in {@code algorithms.csv}).
 */
public final class Lab7Algorithms implements LabSuite {
    static final String SERVICE = "app1";
    /** The replica made slow, and by how much: enough to stand out from fast answers on a loaded machine. */
    static final int SLOW_MS = 300;
    static final int CLIENTS = 8;
    static final int REQUESTS = 160;

    /** One algorithm's route: its path prefix, the strategy its service should have, and how it reads. */
    record Algorithm(String id, String prefix, String strategy, String label) {
    }

    static final List<Algorithm> ALGORITHMS = List.of(
            new Algorithm("round-robin", "/rr", "wrr", "round robin"),
            new Algorithm("least-connections", "/lc", "leastconn", "least connections"),
            new Algorithm("least-time", "/lt", "leasttime", "least response time"),
            new Algorithm("ip-hash", "/ip", "hrw", "IP hash (one client)"));

    /** One algorithm under load: requests per replica number, latency percentiles, failures. */
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
                new Check("routes", "Four routes, /rr /lc /lt /ip, reach app1's four replicas", 20,
                        "give app1 four routers, each with a PathPrefix rule (/rr, /lc, /lt, /ip), its own service "
                                + "(traefik.http.routers.rr.service=app1-rr) and a stripprefix middleware; each service on port 8081",
                        this::routes),
                new Check("round-robin", "Round robin (/rr, wrr): every replica gets a quarter, the slow one too", 20,
                        hint("rr", "wrr"), lab -> measure(lab, ALGORITHMS.get(0))).requires("routes"),
                new Check("least-connections", "Least connections (/lc, leastconn): the slow replica gets clearly less than a quarter", 20,
                        hint("lc", "leastconn"), lab -> measure(lab, ALGORITHMS.get(1))).requires("routes"),
                new Check("least-time", "Least response time (/lt, leasttime): the slow replica gets clearly less than a quarter", 20,
                        hint("lt", "leasttime"), lab -> measure(lab, ALGORITHMS.get(2))).requires("routes"),
                new Check("ip-hash", "IP hash (/ip, hrw): one client always reaches the same replica", 20,
                        hint("ip", "hrw"), lab -> measure(lab, ALGORITHMS.get(3))).requires("routes"));
    }

    private static String hint(String route, String strategy) {
        return "set the strategy of the service behind /" + route + ": traefik.http.services.app1-" + route
                + ".loadbalancer.strategy=" + strategy;
    }

    private void routes(LabContext lab) throws Exception {
        measured.remove(lab);
        List<String> notes = new ArrayList<>();
        for (Algorithm a : ALGORITHMS) {
            JsonNode service = serviceOf(lab, a);
            int servers = service.path("serverStatus").size();
            Map<String, Integer> spread = lab.spread(8, i -> lab.request(null, a.prefix() + "/instance"), LabContext::instance);
            if (spread.keySet().stream().anyMatch(k -> k.startsWith("status ") || k.startsWith("error") || k.equals("?"))) {
                throw new CheckFailed("GET " + a.prefix() + "/instance answered " + spread,
                        spread.containsKey("status 404") && spread.size() == 1
                                ? "the router of " + a.prefix() + " matches, but the producer has no such path: strip the prefix "
                                        + "with a stripprefix middleware (prefixes=/rr,/lc,/lt,/ip) on each router"
                                : null);
            }
            if (servers != lab.topology().replicas(SERVICE).size()) {
                throw new CheckFailed("the service " + service.path("name").asText() + " behind " + a.prefix() + " has " + servers
                        + " servers, app1 has " + lab.topology().replicas(SERVICE).size() + " replicas");
            }
            notes.add(a.prefix() + " -> " + service.path("name").asText() + " (" + servers + " servers)");
        }
        lab.note(String.join(", ", notes));
    }

    /** The service of the enabled router whose rule names the route's prefix, from the API. */
    private static JsonNode serviceOf(LabContext lab, Algorithm a) throws Exception {
        List<String> rules = new ArrayList<>();
        for (JsonNode r : lab.api("/api/http/routers")) {
            String rule = r.path("rule").asText();
            if (r.path("provider").asText().equals("internal")) {
                continue;
            }
            rules.add(r.path("name").asText() + ": " + rule);
            if (rule.contains("`" + a.prefix() + "`") && "enabled".equals(r.path("status").asText())) {
                String service = r.path("service").asText();
                return Labs.service(lab, service.contains("@") ? service : service + "@" + r.path("provider").asText());
            }
        }
        throw new CheckFailed("no enabled router has a rule for " + a.prefix() + " (routers: " + (rules.isEmpty() ? "none" : rules) + ")",
                "add a router per algorithm: traefik.http.routers." + a.prefix().substring(1) + ".rule=PathPrefix(`" + a.prefix()
                        + "`), with traefik.http.routers." + a.prefix().substring(1) + ".service=app1-" + a.prefix().substring(1));
    }

    private void measure(LabContext lab, Algorithm a) throws Exception {
        JsonNode service = serviceOf(lab, a);
        String strategy = service.path("loadBalancer").path("strategy").asText("wrr");
        if (strategy.isEmpty()) {
            strategy = "wrr";
        }
        Map<String, Integer> names = Labs.replicasByInstance(lab, SERVICE);
        int slow = slowReplica(lab);
        List<Load.Exchange> exchanges = Load.requests(CLIENTS, REQUESTS, i -> lab.request(null, a.prefix() + "/instance"));
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
        lab.attach("algorithms.svg", "share of requests per replica and latency per algorithm, replica " + slow + " slow (+"
                + SLOW_MS + " ms)", Lab7Chart.svg(all, slow, SLOW_MS, CLIENTS));
        lab.attach("algorithms.csv", "the chart's figures", Lab7Chart.csv(all, slow));
        String figures = shares(m, slow) + "; p50 " + m.p50() + " ms, p95 " + m.p95() + " ms";
        lab.note(figures);

        if (!a.strategy().equals(strategy.toLowerCase(Locale.ROOT))) {
            throw new CheckFailed("the service " + service.path("name").asText() + " behind " + a.prefix() + " uses the strategy "
                    + strategy + ", not " + a.strategy() + " (" + figures + ")");
        }
        if (m.failed() > 0) {
            throw new CheckFailed(m.failed() + " of " + m.total() + " requests through " + a.prefix() + " failed: "
                    + Load.byInstance(Load.failed(exchanges)));
        }
        double slowShare = m.share(slow);
        switch (a.strategy()) {
            case "wrr" -> {
                for (Map.Entry<Integer, Integer> e : perReplica.entrySet()) {
                    double share = m.share(e.getKey());
                    if (share < 0.15 || share > 0.35) {
                        throw new CheckFailed("round robin should give each of 4 replicas about 25 %: " + figures);
                    }
                }
            }
            case "leastconn", "leasttime" -> {
                if (slowShare >= 0.15) {
                    throw new CheckFailed("the slow replica " + slow + " got " + percent(slowShare) + " of the requests, not clearly "
                            + "less than a quarter: " + figures, a.strategy().equals("leastconn")
                            ? "leastconn sends each request to the replica with the fewest requests in flight; check the strategy label"
                            : "leasttime prefers the replica with the lowest average response time; check the strategy label");
                }
            }
            case "hrw" -> {
                long replicasUsed = perReplica.values().stream().filter(c -> c > 0).count();
                if (replicasUsed != 1) {
                    throw new CheckFailed("one client (this grader, one address) reached " + replicasUsed + " replicas: " + figures);
                }
            }
            default -> throw new IllegalStateException(a.strategy());
        }
    }

    /**
     * Makes the last replica slow (the producer's latency fault, {@code PATCH /admin/faults?latencyMs=300});
     * the same for every algorithm, so the comparison is fair.
     */
    private static int slowReplica(LabContext lab) throws Exception {
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        int slow = replicas.get(replicas.size() - 1);
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

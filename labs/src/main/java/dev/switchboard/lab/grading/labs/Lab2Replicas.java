package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Lab 2, replicas and load balancing: {@code deploy.replicas: 4} (the handout's Figure 7), round
 * robin over the replicas, a second compose service that joins app1's service with a server of weight
 * 3, and the proxy following Docker when app1 is scaled down. Which replica answered is told by the
 * producer's {@code X-Instance} header, matched to the replicas of each compose service.
 */
public final class Lab2Replicas implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String ROUTER_PATH = "routers/app1@docker";
    static final int REPLICAS = 4;
    static final String LARGE = "app1-large";
    static final int LARGE_WEIGHT = 3;
    static final int SCALED = 2;
    /** Requests per unit of weight: with smooth weighted round robin each server gets exactly its weight times this. */
    static final int ROUNDS = 10;

    @Override
    public String lab() {
        return "lab2";
    }

    @Override
    public String title() {
        return "Replicas and load balancing";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                Labs.dashboardApi(5),
                new Check("app1-routed", "Requests for app1.localhost reach app1", 10,
                        "keep app1's labels from lab 1: traefik.enable=true, the router rule Host(`app1.localhost`) and the "
                                + "service port 8081; send the Host header (curl -H 'Host: app1.localhost' http://localhost/)",
                        lab -> {
                            ContentResponse r = lab.get(HOST, "/instance");
                            if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") == null) {
                                throw new CheckFailed("GET /instance with Host: " + HOST + " answered 404 from the proxy: no "
                                        + "router matched", Labs.routerProblem(lab, "app1@docker").filter(p -> p.contains(" has the rule ")).orElse(null));
                            }
                            Labs.expectProducer(lab, r, "GET /instance with Host: " + HOST, "app1@docker");
                            lab.note("answered by " + LabContext.instance(r));
                        }).about(ROUTER_PATH),
                new Check("app1-replicas", "The proxy balances over app1's 4 replicas, all up", 20,
                        "give app1 deploy: replicas: 4 (the handout's Figure 7); the replicas share app1's labels, so the "
                                + "proxy makes each one a server of the service app1",
                        Lab2Replicas::fourReplicas).requires("app1-routed").about(ROUTER_PATH),
                new Check("round-robin", "Round robin: app1's replicas take turns, each the same share", 20,
                        "round robin is the proxy's default (strategy wrr): remove any label that changes "
                                + "traefik.http.services.app1.loadbalancer.strategy or adds a sticky cookie",
                        Lab2Replicas::roundRobin).requires("app1-routed").about(ROUTER_PATH),
                new Check("weighted-server", "app1-large, with weight 3, answers 3 times as often as one replica of app1", 25,
                        "give app1-large the labels of app1 (the same router and service names, so its container becomes one more "
                                + "server of the service app1) and the weight of its server: "
                                + "traefik.http.services.app1.loadbalancer.server.weight=3",
                        Lab2Replicas::weightedServer).requires("app1-routed").about(ROUTER_PATH),
                new Check("scale-down", "After app1 is scaled down to 2 replicas, the proxy sends only to those left", 20,
                        "the proxy follows Docker's events when servers come from the Docker provider's labels; servers "
                                + "written as fixed URLs (in a file provider) are not updated",
                        Lab2Replicas::scaleDown).requires("app1-routed").about(ROUTER_PATH));
    }

    private static void fourReplicas(LabContext lab) throws Exception {
        Map<Integer, String> names = Labs.instanceNames(lab, "app1");
        if (names.size() != REPLICAS) {
            throw new CheckFailed("app1 runs " + names.size() + " replica" + (names.size() == 1 ? "" : "s") + " instead of "
                    + REPLICAS + ": " + names.values());
        }
        JsonNode service = Labs.serviceOfRouter(lab, "app1@docker");
        JsonNode status = service.path("serverStatus");
        List<String> down = new ArrayList<>();
        status.fields().forEachRemaining(e -> {
            if (!"UP".equals(e.getValue().asText())) {
                down.add(e.getKey());
            }
        });
        if (status.size() < REPLICAS || !down.isEmpty()) {
            throw new CheckFailed("the service " + service.path("name").asText() + " has " + status.size() + " servers"
                    + (down.isEmpty() ? "" : ", down: " + down) + ": " + status,
                    "each replica must be healthy to get traffic; read the dashboard and ./lab logs app1");
        }
        Map<String, Integer> counts = Labs.spread(lab, HOST, "/instance", 10 * REPLICAS);
        List<String> silent = names.values().stream().filter(n -> !counts.containsKey(n)).toList();
        if (!silent.isEmpty()) {
            throw new CheckFailed("of " + 10 * REPLICAS + " requests (" + counts + ") none reached the replicas " + silent,
                    "every replica must carry app1's labels and be healthy; the dashboard lists the servers of the service app1");
        }
        lab.note(REPLICAS + " replicas " + names.values() + "; " + status.size() + " servers up");
    }

    /** The total weight of the service's servers; a round of that many requests gives each server its weight. */
    private static int totalWeight(LabContext lab) throws Exception {
        int total = Labs.weights(Labs.serviceOfRouter(lab, "app1@docker")).values().stream().mapToInt(Integer::intValue).sum();
        return Math.max(1, Math.min(total, 20));
    }

    private static void roundRobin(LabContext lab) throws Exception {
        Map<Integer, String> names = Labs.instanceNames(lab, "app1");
        if (names.size() < 2) {
            throw new CheckFailed("not checked: app1 runs " + names.size() + " replica" + (names.size() == 1 ? "" : "s")
                    + ", and turns need two or more", "give app1 deploy: replicas: " + REPLICAS);
        }
        int n = ROUNDS * totalWeight(lab);
        Map<String, Integer> counts = Labs.spread(lab, HOST, "/instance", n);
        expectAnswered(counts, n);
        Map<String, Integer> replicas = Labs.countsOf(counts, names.values());
        int min = replicas.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = replicas.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (replicas.size() != names.size() || max - min > 1) {
            JsonNode service = Labs.serviceOfRouter(lab, "app1@docker");
            String strategy = service.path("loadBalancer").path("strategy").asText("");
            throw new CheckFailed("of " + n + " requests app1's replicas answered " + replicas
                    + " (all answers: " + counts + "): not the same share each", strategy.isEmpty() || strategy.equals("wrr")
                            ? null : "the service " + service.path("name").asText() + " uses the strategy " + strategy
                                    + " (Traefik v3.2 has none but round robin, its default): remove the label "
                                    + "traefik.http.services.app1.loadbalancer.strategy=" + strategy + " from app1 and " + LARGE);
        }
        lab.note(n + " requests: " + replicas);
    }

    private static void weightedServer(LabContext lab) throws Exception {
        Map<Integer, String> large = Labs.instanceNames(lab, LARGE);
        if (large.isEmpty()) {
            throw new CheckFailed(lab.topology().compose().services().containsKey(LARGE) ? "no replica of " + LARGE + " answers"
                    : "the compose file has no service " + LARGE,
                    "add the service " + LARGE + ": a copy of app1 with one replica (step 4 of the handout)");
        }
        Map<Integer, String> replicas = Labs.instanceNames(lab, "app1");
        int n = ROUNDS * totalWeight(lab);
        Map<String, Integer> counts = Labs.spread(lab, HOST, "/instance", n);
        expectAnswered(counts, n);
        String largeName = large.values().iterator().next();
        int largeCount = counts.getOrDefault(largeName, 0);
        if (largeCount == 0) {
            List<String> warnings = dev.switchboard.lab.grading.ProxyDiagnosis.aboutContainersOf(lab, LARGE);
            throw new CheckFailed("of " + n + " requests for " + HOST + " none reached " + LARGE + " (answers: " + counts + ")",
                    !warnings.isEmpty() ? "the proxy leaves " + LARGE + "'s container out; its log says why: "
                            + String.join(" / ", warnings) :
                    LARGE + "'s container is not a server of the service app1: give it traefik.enable=true and app1's labels "
                            + "(traefik.http.routers.app1.rule=Host(`app1.localhost`), "
                            + "traefik.http.services.app1.loadbalancer.server.port=8081), the same as app1's, or the proxy "
                            + "leaves out what the two define differently");
        }
        double perReplica = Labs.countsOf(counts, replicas.values()).values().stream().mapToInt(Integer::intValue).average().orElse(0);
        double ratio = perReplica == 0 ? Double.POSITIVE_INFINITY : largeCount / perReplica;
        if (Math.abs(ratio - LARGE_WEIGHT) > 0.5) {
            JsonNode service = Labs.serviceOfRouter(lab, "app1@docker");
            Map<String, Integer> weights = Labs.weights(service);
            throw new CheckFailed(String.format(java.util.Locale.ROOT,
                    "of %d requests %s answered %d, a replica of app1 %.1f on average: %.1f times as many, not %d "
                            + "(server weights on the dashboard: %s)", n, LARGE, largeCount, perReplica, ratio, LARGE_WEIGHT,
                    weights), weightHint(lab, service, weights));
        }
        lab.note(String.format(java.util.Locale.ROOT, "%d requests: %s %d, app1's replicas %.1f each", n, LARGE, largeCount,
                perReplica));
    }

    /** What the servers' weights on the dashboard show: the weight on app1's replicas, on none, or another weight. */
    private static String weightHint(LabContext lab, JsonNode service, Map<String, Integer> weights) {
        String label = "traefik.http.services.app1.loadbalancer.server.weight=" + LARGE_WEIGHT;
        java.util.Optional<String> large = Labs.serverUrl(lab, service.path("serverStatus"), LARGE, 1);
        if (large.isEmpty() || !weights.containsKey(large.get())) {
            return null;
        }
        int largeWeight = weights.get(large.get());
        List<String> heavyReplicas = weights.entrySet().stream().filter(e -> !e.getKey().equals(large.get()) && e.getValue() > 1)
                .map(e -> e.getKey() + " weight " + e.getValue()).toList();
        if (!heavyReplicas.isEmpty() && largeWeight == 1) {
            return "the weight is on app1's replicas (" + String.join(", ", heavyReplicas) + ") and " + LARGE + "'s server "
                    + large.get() + " has weight 1: the label " + label + " belongs in " + LARGE + "'s labels, not app1's";
        }
        if (largeWeight == 1) {
            return "every server has weight 1, " + LARGE + "'s " + large.get() + " too: give it weight " + LARGE_WEIGHT
                    + " with the label " + label + " in " + LARGE + "'s labels";
        }
        if (largeWeight != LARGE_WEIGHT) {
            return LARGE + "'s server " + large.get() + " has weight " + largeWeight + ": the machine is " + LARGE_WEIGHT
                    + " times as big, " + label;
        }
        return null;
    }

    private static void scaleDown(LabContext lab) throws Exception {
        Map<Integer, String> before = Labs.instanceNames(lab, "app1");
        if (before.size() <= SCALED) {
            throw new CheckFailed("not checked: app1 runs " + before.size() + " replica" + (before.size() == 1 ? "" : "s")
                    + ", so scaling it down to " + SCALED + " takes none away", "give app1 deploy: replicas: " + REPLICAS);
        }
        lab.topology().scale("app1", SCALED);
        Set<String> left = new HashSet<>();
        for (int replica : lab.topology().replicas("app1")) {
            if (before.containsKey(replica)) {
                left.add(before.get(replica));
            }
        }
        Set<String> removed = new HashSet<>(before.values());
        removed.removeAll(left);
        if (left.size() != SCALED) {
            throw new CheckFailed("after scaling to " + SCALED + ", app1's replicas are " + lab.topology().replicas("app1"),
                    "app1 must be scalable: no container_name (a fixed name allows one container only)");
        }
        AtomicReference<Map<String, Integer>> last = new AtomicReference<>(Map.of());
        boolean settled = LabContext.eventually(Duration.ofSeconds(30), () -> {
            last.set(Labs.spread(lab, HOST, "/instance", 20));
            return last.get().keySet().stream().noneMatch(k -> removed.contains(k) || failed(k));
        });
        if (!settled) {
            throw new CheckFailed("30 s after scaling down, requests still went to removed replicas or failed: " + last.get());
        }
        int n = 10 * (SCALED + LARGE_WEIGHT + 1);
        Map<String, Integer> counts = Labs.spread(lab, HOST, "/instance", n);
        expectAnswered(counts, n);
        List<String> unused = left.stream().filter(name -> !counts.containsKey(name)).toList();
        List<String> gone = counts.keySet().stream().filter(removed::contains).toList();
        if (!unused.isEmpty() || !gone.isEmpty()) {
            throw new CheckFailed("after scaling down, " + n + " requests went to " + counts + "; replicas left: " + left
                    + ", removed: " + removed);
        }
        lab.note("replicas left " + Labs.countsOf(counts, left) + ", removed " + removed + " got none");
    }

    private static boolean failed(String key) {
        return key.startsWith("status ") || key.startsWith("error");
    }

    /** Every request was answered by a replica; otherwise fail with what came instead. */
    private static void expectAnswered(Map<String, Integer> counts, int n) {
        List<String> failures = counts.keySet().stream().filter(Lab2Replicas::failed).toList();
        if (!failures.isEmpty()) {
            throw new CheckFailed("of " + n + " requests some failed: " + counts,
                    "every server of the service must answer: check the dashboard for servers that are down");
        }
    }
}

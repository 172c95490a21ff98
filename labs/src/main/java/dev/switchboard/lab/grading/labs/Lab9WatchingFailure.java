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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Lab 9, watching a service fail: three replicas of app1 behind the proxy with Prometheus metrics on.
 * A replica starts failing, and the metrics say which ({@code traefik_service_server_up}, reported by
 * Traefik v3.2 only for a service with a health check); then every replica fails, and a
 * {@code circuitBreaker} middleware on the router answers for them at once until they are well again.
 *
 * <p>Graded as Traefik v3.2 behaves (the proxy's default profile): what earns points is what the
 * student turned on (the metrics, metrics by router, a health check on the readiness probe, a breaker
 * whose expression trips on the replicas' 500s). The grader sends no client request to a failing
 * replica before the health check took it out: the breaker counts every answer, and Traefik's opens
 * on the first 500 of a quiet 10 s window.
 */
public final class Lab9WatchingFailure implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String SERVICE = "app1";
    static final String ROUTER = "app1@docker";
    static final String PROXY_SERVICE = "app1@docker";
    /** How long the proxy may take to show a failing replica DOWN: its health check's interval and timeout, with room. */
    static final Duration FOUND_WITHIN = Duration.ofSeconds(15);

    private static final String HEALTH_HINT = "give the service app1 a health check on the producer's readiness probe: "
            + "traefik.http.services.app1.loadbalancer.healthcheck.path=/actuator/health/readiness, healthcheck.interval=1s, "
            + "healthcheck.timeout=2s";
    private static final String BREAKER_HINT = "a circuit breaker on the router app1 that opens on 5xx answers: "
            + "traefik.http.middlewares.app1-breaker.circuitbreaker.expression=ResponseCodeRatio(500, 600, 0, 600) > 0.30, "
            + "attached with traefik.http.routers.app1.middlewares=app1-strip,app1-breaker";

    @Override
    public String lab() {
        return "lab9";
    }

    @Override
    public String title() {
        return "Watching a service fail";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("metrics-endpoint", "Prometheus metrics on port 8080 count app1's requests by status code", 15,
                        "turn on Prometheus metrics: --metrics.prometheus=true in the reverse-proxy's command",
                        Lab9WatchingFailure::metricsEndpoint),
                new Check("router-metrics", "Metrics by router: traefik_router_requests_total counts app1's requests", 10,
                        "metrics by router are off by default: --metrics.prometheus.addRoutersLabels=true",
                        Lab9WatchingFailure::routerMetrics),
                new Check("failing-replica-found", "A failing replica shows 0 in traefik_service_server_up, gets no request, and "
                        + "comes back", 25, HEALTH_HINT, Lab9WatchingFailure::failingReplicaFound),
                new Check("breaker-opens", "When every replica fails, the circuit breaker answers 503 at once and app1 gets no "
                        + "request", 30, BREAKER_HINT, Lab9WatchingFailure::breakerOpens),
                new Check("breaker-recovers", "Once the replicas are well, the breaker lets requests through again", 20,
                        "the breaker stays open fallbackDuration (10s by default), then lets a growing share through for "
                                + "recoveryDuration (10s); the handout sets both to 5s",
                        Lab9WatchingFailure::breakerRecovers).requires("breaker-opens"));
    }

    /** Waits until app1's replicas run and the proxy has them UP; returns the service's serverStatus. */
    private static JsonNode serversUp(LabContext lab) throws Exception {
        int replicas = lab.topology().replicas(SERVICE).size();
        boolean running = LabContext.eventually(Duration.ofMinutes(3), () -> Labs.instanceNames(lab, SERVICE).size() >= replicas);
        if (!running) {
            throw new CheckFailed("only " + Labs.instanceNames(lab, SERVICE).size() + " of app1's " + replicas + " replicas answer "
                    + "after 3 min: ./lab logs app1 says why");
        }
        healthPathServed(lab);
        return Labs.awaitServersUp(lab, PROXY_SERVICE, replicas, Duration.ofMinutes(3));
    }

    /**
     * Fails at once when the service's health check asks a path the producer does not have (404: a typo
     * in the path): every server is then DOWN for good, and no check need wait minutes to find it out.
     */
    private static void healthPathServed(LabContext lab) throws Exception {
        String path;
        try {
            path = Labs.service(lab, PROXY_SERVICE).path("loadBalancer").path("healthCheck").path("path").asText("");
        } catch (CheckFailed e) {
            return;
        }
        if (path.isEmpty()) {
            return;
        }
        int replica = lab.topology().replicas(SERVICE).get(0);
        int status = Labs.direct(lab, SERVICE, replica, Labs.PRODUCER_PORT, path.startsWith("/") ? path : "/" + path).send()
                .getStatus();
        if (status == 404) {
            throw new CheckFailed("the proxy's health check asks each server of " + PROXY_SERVICE + " for " + path + ", and replica "
                    + replica + ", which serves requests, answers it " + status + ": every server is DOWN",
                    "the health check path " + path + " is not a page of the producer: "
                            + "traefik.http.services.app1.loadbalancer.healthcheck.path=/actuator/health/readiness");
        }
    }

    private static void metricsEndpoint(LabContext lab) throws Exception {
        Metrics.read(lab);
        serversUp(lab);
        Metrics before = Metrics.read(lab);
        Map<String, Integer> fromApp1 = new TreeMap<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < 15; i++) {
            ContentResponse r = lab.get(HOST, i < 10 ? "/users?limit=1" : "/users/999999");
            String code = String.valueOf(r.getStatus());
            seen.merge(code, 1, Integer::sum);
            if (r.getHeaders().get("X-Instance") != null) {
                fromApp1.merge(code, 1, Integer::sum);
            }
        }
        if (!fromApp1.containsKey("200") || !fromApp1.containsKey("404")) {
            throw new CheckFailed("15 requests for " + HOST + " (/users?limit=1 and /users/999999) were answered " + seen
                    + "; app1 answered " + fromApp1, "app1 must answer through the proxy first: its router is Host(`app1.localhost`) "
                            + "|| PathPrefix(`/app1`), its port 8081");
        }
        Metrics after = Metrics.readUntil(lab, m -> fromApp1.entrySet().stream().allMatch(e ->
                m.sum("traefik_service_requests_total", "service", PROXY_SERVICE, "code", e.getKey())
                        - before.sum("traefik_service_requests_total", "service", PROXY_SERVICE, "code", e.getKey()) >= e.getValue()));
        if (after.find("traefik_service_requests_total").isEmpty()) {
            throw new CheckFailed("/metrics has no traefik_service_requests_total (it has " + after.names("traefik_") + ")",
                    "metrics by service are on by default: remove --metrics.prometheus.addServicesLabels=false");
        }
        List<String> counted = new ArrayList<>();
        for (Map.Entry<String, Integer> e : fromApp1.entrySet()) {
            double delta = after.sum("traefik_service_requests_total", "service", PROXY_SERVICE, "code", e.getKey())
                    - before.sum("traefik_service_requests_total", "service", PROXY_SERVICE, "code", e.getKey());
            if (delta < e.getValue()) {
                throw new CheckFailed("app1 answered " + e.getValue() + " requests with " + e.getKey() + ", and "
                        + "traefik_service_requests_total{service=\"" + PROXY_SERVICE + "\",code=\"" + e.getKey() + "\"} went up by "
                        + (long) delta + " (services in /metrics: " + services(after) + ")");
            }
            counted.add("code " + e.getKey() + ": +" + (long) delta);
        }
        lab.note("traefik_service_requests_total{service=\"" + PROXY_SERVICE + "\"} after " + fromApp1 + " from app1: "
                + String.join(", ", counted));
    }

    /** The services the service metrics name. */
    private static List<String> services(Metrics m) {
        return m.find("traefik_service_requests_total").stream().map(s -> s.label("service")).distinct().toList();
    }

    private static void routerMetrics(LabContext lab) throws Exception {
        Metrics before = Metrics.read(lab);
        int ok = 0;
        for (int i = 0; i < 10; i++) {
            ok += lab.get(HOST, "/instance").getStatus() == 200 ? 1 : 0;
        }
        Metrics after = Metrics.readUntil(lab, m -> m.sum("traefik_router_requests_total", "router", ROUTER)
                - before.sum("traefik_router_requests_total", "router", ROUTER) >= 10);
        if (after.find("traefik_router_requests_total").isEmpty()) {
            throw new CheckFailed("/metrics has no traefik_router_requests_total (it has " + after.names("traefik_") + ")");
        }
        double delta = after.sum("traefik_router_requests_total", "router", ROUTER)
                - before.sum("traefik_router_requests_total", "router", ROUTER);
        if (delta < 10) {
            List<String> routers = after.find("traefik_router_requests_total").stream().map(s -> s.label("router")).distinct().toList();
            throw new CheckFailed("10 requests for " + HOST + " (" + ok + " answered 200), and traefik_router_requests_total{router=\""
                    + ROUTER + "\"} went up by " + (long) delta + " (routers in /metrics: " + routers + ")");
        }
        lab.note("traefik_router_requests_total{router=\"" + ROUTER + "\"} +" + (long) delta + " after 10 requests");
    }

    /** {@code traefik_service_server_up} of app1's servers: URL to value. */
    private static Map<String, Double> serverUp(Metrics m) {
        Map<String, Double> out = new TreeMap<>();
        m.find("traefik_service_server_up", "service", PROXY_SERVICE).forEach(s -> out.put(s.label("url"), s.value()));
        return out;
    }

    private static void failingReplicaFound(LabContext lab) throws Exception {
        JsonNode status = serversUp(lab);
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        int replica = replicas.get(replicas.size() - 1);
        String name = Labs.instance(lab, SERVICE, replica).path("name").asText();
        // The simulated backend tells the replica's server URL; on containers the grader reaches replicas by mapped ports,
        // and the URL is the one whose series goes to 0 while the others stay at 1.
        String known = Labs.serverUrl(lab, status, SERVICE, replica).orElse(null);
        AtomicReference<String> downUrl = new AtomicReference<>(known);
        AtomicReference<Map<String, Double>> up = new AtomicReference<>(serverUp(Metrics.read(lab)));
        LabContext.eventually(Duration.ofSeconds(5), () -> {
            up.set(serverUp(Metrics.read(lab)));
            return up.get().size() >= replicas.size();
        });
        if (up.get().isEmpty()) {
            throw new CheckFailed("/metrics has no traefik_service_server_up for " + PROXY_SERVICE,
                    "Traefik v3.2 reports traefik_service_server_up only for a service with a health check: " + HEALTH_HINT);
        }
        try {
            Labs.faults(lab, SERVICE, replica, "PATCH", "errorRate=1&unhealthy=true");
            long set = System.nanoTime();
            boolean found = LabContext.eventually(FOUND_WITHIN, () -> {
                up.set(serverUp(Metrics.read(lab)));
                List<String> down = up.get().entrySet().stream().filter(e -> e.getValue() == 0.0).map(Map.Entry::getKey).toList();
                if (down.size() != 1 || known != null && !down.contains(known)) {
                    return false;
                }
                downUrl.set(down.get(0));
                return up.get().values().stream().filter(v -> v == 1.0).count() == up.get().size() - 1;
            });
            String url = downUrl.get() != null ? downUrl.get() : name;
            if (!found) {
                throw new CheckFailed("replica " + replica + " (" + url + ") answers 500 to every request and 503 on its readiness "
                        + "probe; " + FOUND_WITHIN.toSeconds() + " s later traefik_service_server_up{service=\"" + PROXY_SERVICE
                        + "\"} is " + up.get(), healthHint(lab));
            }
            long foundAfter = (System.nanoTime() - set) / 1_000_000;
            Map<String, Integer> answers = lab.spread(30, i -> lab.request(HOST, "/instance"), LabContext::instance);
            if (answers.containsKey(name) || answers.keySet().stream().anyMatch(k -> k.startsWith("status ") || k.startsWith("error"))) {
                throw new CheckFailed("while traefik_service_server_up showed replica " + replica + " at 0, 30 requests were answered "
                        + answers, answers.containsKey("status 503") ? openBreakerHint(lab) : "a server that is DOWN gets no request: "
                                + HEALTH_HINT);
            }
            Labs.faults(lab, SERVICE, replica, "DELETE", null);
            boolean back = LabContext.eventually(FOUND_WITHIN, () -> {
                up.set(serverUp(Metrics.read(lab)));
                return up.get().getOrDefault(url, 0.0) == 1.0;
            });
            if (!back) {
                throw new CheckFailed("replica " + replica + " was well again; " + FOUND_WITHIN.toSeconds() + " s later "
                        + "traefik_service_server_up is " + up.get());
            }
            lab.note("replica " + replica + " failing: traefik_service_server_up{url=\"" + url + "\"} 0 after " + foundAfter
                    + " ms; 30 requests meanwhile: " + answers + "; back to 1 once well");
        } finally {
            Labs.clearFaults(lab, SERVICE, replica);
        }
    }

    /** Why a replica whose readiness probe fails was not shown DOWN: no health check, one on another path, a long interval. */
    private static String healthHint(LabContext lab) {
        try {
            JsonNode hc = Labs.service(lab, PROXY_SERVICE).path("loadBalancer").path("healthCheck");
            if (hc.isMissingNode() || hc.isNull() || hc.path("path").asText("").isEmpty()) {
                return "the service " + PROXY_SERVICE + " has no health check, so nothing tells the proxy that a replica fails: "
                        + HEALTH_HINT;
            }
            String path = hc.path("path").asText();
            if (!path.startsWith("/actuator/health")) {
                return "the health check asks " + path + ", which a failing replica may still answer with 200: ask its readiness "
                        + "probe, healthcheck.path=/actuator/health/readiness";
            }
            double interval = seconds(hc.path("interval").asText("30s"));
            if (interval > 5) {
                return "the health check runs every " + hc.path("interval").asText("30s") + " (Traefik's default is 30s): a failing "
                        + "replica keeps its requests that long; healthcheck.interval=1s";
            }
            return HEALTH_HINT;
        } catch (Exception e) {
            return HEALTH_HINT;
        }
    }

    /** The replicas' application requests since their faults were last set (admin calls not counted). */
    private static long served(LabContext lab, List<Integer> replicas) throws Exception {
        long n = 0;
        for (int r : replicas) {
            n += Labs.faults(lab, SERVICE, r, "GET", null).path("requestsSinceSet").asLong();
        }
        return n;
    }

    private static void breakerOpens(LabContext lab) throws Exception {
        serversUp(lab);
        List<Integer> replicas = lab.topology().replicas(SERVICE);
        Map<String, Integer> healthy = lab.spread(20, i -> lab.request(HOST, "/instance"), r -> r.getHeaders().get("X-Instance")
                == null ? "proxy " + r.getStatus() : "app1 " + r.getStatus());
        if (healthy.getOrDefault("app1 200", 0) != 20) {
            throw new CheckFailed("while every replica was well, 20 requests for " + HOST + " were answered " + healthy,
                    healthy.containsKey("proxy 503") ? "the proxy answered 503 for healthy replicas: " + breakerExpressionHint(lab, 0.0)
                            : null);
        }
        try {
            for (int r : replicas) {
                Labs.faults(lab, SERVICE, r, "PATCH", "errorRate=1&errorStatus=500");
            }
            List<String> answers = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean open = false;
            while (System.nanoTime() < deadline && !open) {
                ContentResponse r = lab.get(HOST, "/instance");
                boolean fromProxy = r.getHeaders().get("X-Instance") == null;
                answers.add((fromProxy ? "proxy " : "app1 ") + r.getStatus());
                open = fromProxy && r.getStatus() == 503;
                Thread.sleep(50);
            }
            if (!open) {
                throw new CheckFailed("every replica answered 500; for 10 s the proxy passed every request on: " + count(answers),
                        breakerHint(lab));
            }
            long before = served(lab, replicas);
            List<String> whileOpen = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ContentResponse r = lab.get(HOST, "/instance");
                whileOpen.add((r.getHeaders().get("X-Instance") == null ? "proxy " : "app1 ") + r.getStatus());
            }
            long reached = served(lab, replicas) - before;
            if (count(whileOpen).getOrDefault("proxy 503", 0) != 20 || reached > 0) {
                throw new CheckFailed("the proxy answered 503 after " + answers.size() + " requests (" + count(answers) + "); the "
                        + "next 20 were answered " + count(whileOpen) + " and " + reached + " reached app1",
                        "while the breaker is open the proxy answers every request itself: fallbackDuration (10s by default, 5s in "
                                + "the handout) must not be shorter than a few seconds");
            }
            lab.note("every replica answering 500: the breaker opened after " + answers.size() + " request(s) (" + count(answers)
                    + "); the next 20 answered 503 by the proxy, none reached app1");
        } finally {
            for (int r : replicas) {
                Labs.clearFaults(lab, SERVICE, r);
            }
        }
    }

    private static void breakerRecovers(LabContext lab) throws Exception {
        JsonNode breaker = breakers(lab).values().stream().findFirst().orElseThrow(() -> new CheckFailed("no circuit breaker"));
        double fallback = seconds(breaker.path("circuitBreaker").path("fallbackDuration").asText("10s"));
        double recovery = seconds(breaker.path("circuitBreaker").path("recoveryDuration").asText("10s"));
        if (fallback + recovery > 60) {
            throw new CheckFailed("the breaker stays open " + fallback + " s and recovers over " + recovery + " s: users get 503 for "
                    + "over a minute after the replicas are well", "fallbackDuration=5s and recoveryDuration=5s (Traefik's default: 10s each)");
        }
        Duration patience = Duration.ofMillis((long) ((fallback + recovery) * 1000) + 20_000);
        long start = System.nanoTime();
        List<String> timeline = new ArrayList<>();
        long firstThrough = 0;
        int inARow = 0;
        while (System.nanoTime() - start < patience.toNanos() && inARow < 20) {
            ContentResponse r = lab.get(HOST, "/instance");
            boolean ok = r.getStatus() == 200 && r.getHeaders().get("X-Instance") != null;
            inARow = ok ? inARow + 1 : 0;
            if (ok && firstThrough == 0) {
                firstThrough = System.nanoTime();
            }
            timeline.add(ok ? "200" : (r.getHeaders().get("X-Instance") == null ? "proxy " : "app1 ") + r.getStatus());
            Thread.sleep(100);
        }
        if (inARow < 20) {
            throw new CheckFailed("the replicas were well again; for " + patience.toSeconds() + " s (fallbackDuration " + fallback
                    + " s + recoveryDuration " + recovery + " s + 20 s) requests were answered " + count(timeline)
                    + ", never 20 in a row from app1");
        }
        lab.note("replicas well again: the first request through after " + (firstThrough - start) / 1_000_000 + " ms, 20 in a row "
                + "after " + (System.nanoTime() - start) / 1_000_000 + " ms (" + count(timeline) + ")");
    }

    /** The circuit breakers the API lists, by name. */
    private static Map<String, JsonNode> breakers(LabContext lab) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Labs.middlewares(lab).forEach((name, m) -> {
            if (m.has("circuitBreaker")) {
                out.put(name, m);
            }
        });
        return out;
    }

    /**
     * Why the proxy answered 503 itself while replicas were UP: a circuit breaker on the router is open,
     * opened by the earlier checks' answers (200s and the 404 of a user that does not exist).
     */
    private static String openBreakerHint(LabContext lab) {
        try {
            for (Map.Entry<String, JsonNode> b : breakers(lab).entrySet()) {
                String expression = b.getValue().path("circuitBreaker").path("expression").asText().replaceAll("\\s+", " ");
                return "the proxy answered 503 itself although other replicas were UP: the circuit breaker " + b.getKey()
                        + " was open. Its expression " + expression + " held on the answers before, 200s and the 404 of a user "
                        + "that does not exist: a 404 is an answer, not a failure; count 5xx only, "
                        + "ResponseCodeRatio(500, 600, 0, 600) > 0.30";
            }
        } catch (Exception e) {
            // the generic hint
        }
        return "a server that is DOWN gets no request, and the proxy should answer with the other replicas: " + HEALTH_HINT;
    }

    /** Why the breaker did not open when every answer was a 500: none, not attached, or an expression that does not hold. */
    static String breakerHint(LabContext lab) {
        try {
            Map<String, JsonNode> breakers = breakers(lab);
            if (breakers.isEmpty()) {
                return "no circuitBreaker middleware: " + BREAKER_HINT;
            }
            List<String> attached = new ArrayList<>();
            Labs.router(lab, ROUTER).path("middlewares").forEach(m -> attached.add(m.asText().contains("@") ? m.asText()
                    : m.asText() + "@docker"));
            List<String> used = breakers.keySet().stream().filter(attached::contains).toList();
            if (used.isEmpty()) {
                String b = breakers.keySet().iterator().next();
                return "the middleware " + b + " is defined but not attached to the router app1 (it uses " + attached + "): "
                        + "traefik.http.routers.app1.middlewares=app1-strip," + b.replaceFirst("@docker$", "");
            }
            return breakerExpressionHint(lab, 1.0);
        } catch (Exception e) {
            return BREAKER_HINT;
        }
    }

    private static final Pattern RATIO = Pattern.compile("ResponseCodeRatio\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)"
            + "\\s*(>=|<=|==|!=|>|<)\\s*([0-9.]+)");

    /**
     * What the breaker's expression does when the share of 500 answers is {@code ratio500} (1: every
     * answer a 500; 0: none): the figure each function gives, and why the expression holds or not.
     */
    static String breakerExpressionHint(LabContext lab, double ratio500) {
        String expression = "";
        try {
            for (JsonNode m : breakers(lab).values()) {
                expression = m.path("circuitBreaker").path("expression").asText();
            }
        } catch (Exception e) {
            return BREAKER_HINT;
        }
        String e = expression.replaceAll("\\s+", " ");
        if (ratio500 == 0.0) {
            return "the breaker's expression " + e + " holds on healthy traffic, so it opens at once: it must hold only when "
                    + "too many answers fail (ResponseCodeRatio(500, 600, 0, 600) > 0.30)";
        }
        if (e.contains("NetworkErrorRatio") && !e.contains("ResponseCodeRatio")) {
            return "the breaker's expression is " + e + ": NetworkErrorRatio() counts only 502 and 504, the proxy's own answers when "
                    + "a server cannot be reached or is too slow; here the replicas answered 500 themselves: "
                    + "ResponseCodeRatio(500, 600, 0, 600) > 0.30 counts every 5xx";
        }
        if (e.contains("LatencyAtQuantileMS") && !e.contains("ResponseCodeRatio")) {
            return "the breaker's expression is " + e + ": it measures latency, and the replicas failed fast; "
                    + "ResponseCodeRatio(500, 600, 0, 600) > 0.30 counts every 5xx";
        }
        Matcher m = RATIO.matcher(e);
        if (m.find()) {
            int from = Integer.parseInt(m.group(1));
            int to = Integer.parseInt(m.group(2));
            int dFrom = Integer.parseInt(m.group(3));
            int dTo = Integer.parseInt(m.group(4));
            boolean counted = 500 >= from && 500 < to;
            boolean divided = 500 >= dFrom && 500 < dTo;
            double ratio = divided && counted ? 1.0 : 0.0;
            return "the breaker's expression is " + e + ": with every answer a 500, ResponseCodeRatio(" + from + ", " + to + ", "
                    + dFrom + ", " + dTo + ") is " + ratio + " (it counts the codes from " + from + " up to " + to
                    + ", excluded, among those from " + dFrom + " up to " + dTo + "), so \"" + m.group(5) + " " + m.group(6)
                    + "\" does not hold: ResponseCodeRatio(500, 600, 0, 600) > 0.30";
        }
        return "the breaker's expression " + (e.isEmpty() ? "is empty" : "is " + e) + ": " + BREAKER_HINT;
    }

    /** A duration as the API shows it ({@code 5s}, {@code 1m30s}), in seconds. */
    private static double seconds(String duration) {
        return dev.switchboard.proxy.config.Durations.parse(duration).toMillis() / 1000.0;
    }

    private static Map<String, Integer> count(List<String> values) {
        Map<String, Integer> c = new TreeMap<>();
        values.forEach(v -> c.merge(v, 1, Integer::sum));
        return c;
    }
}

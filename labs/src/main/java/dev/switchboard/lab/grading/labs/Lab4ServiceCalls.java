package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Lab 4, calls between services through the reverse proxy: app1 calls
 * {@code http://reverse-proxy/app2/...} (the producer's {@code /call/app2/...}), the proxy's
 * {@code PathPrefix(`/app2`)} router strips the prefix and balances over app2's replicas. Proof that
 * a call went through the proxy: its access log has the request, with a query the grader made up.
 */
public final class Lab4ServiceCalls implements LabSuite {
    static final String APP2_HOST = "app2.localhost";
    static final int APP2_REPLICAS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String lab() {
        return "lab4";
    }

    @Override
    public String title() {
        return "Calls between services through the reverse proxy";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("app1-prefix", "Requests for /app1/... reach app1, prefix stripped", 10,
                        "keep app1's labels from lab 3: the rule Host(`app1.localhost`) || PathPrefix(`/app1`) and the "
                                + "middleware app1-strip attached to it",
                        lab -> reaches(lab, null, "/app1/instance", "app1", "app1@docker")).about("routers/app1@docker"),
                new Check("app2-host", "Requests for app2.localhost reach app2", 10,
                        "give app2 its own router with the rule Host(`app2.localhost`) || PathPrefix(`/app2`) (labels "
                                + "traefik.http.routers.app2...., not app1's names)",
                        lab -> reaches(lab, APP2_HOST, "/instance", "app2", "app2@docker")).about("routers/app2@docker"),
                new Check("app2-prefix", "Requests for /app2/... reach app2, prefix stripped", 25,
                        "app2's rule needs PathPrefix(`/app2`) and a stripprefix middleware attached: "
                                + "traefik.http.middlewares.app2-strip.stripprefix.prefixes=/app2 and "
                                + "traefik.http.routers.app2.middlewares=app2-strip",
                        lab -> reaches(lab, null, "/app2/users?limit=1", "app2", "app2@docker")).about("routers/app2@docker"),
                new Check("call-through-proxy", "app1 calls app2 through the reverse proxy (GET /app1/call/app2/instance)", 35,
                        "app1 calls REVERSE_PROXY_URL + /app2/...: the proxy must route /app2 to app2 whatever the host "
                                + "(a call to http://reverse-proxy/app2/... has the Host reverse-proxy, which Host(`app2.localhost`) "
                                + "does not match: add || PathPrefix(`/app2`)), and app1 must reach the proxy by its service name "
                                + "on a shared network",
                        Lab4ServiceCalls::callThroughProxy).requires("app1-prefix").about("routers/app2@docker"),
                new Check("call-balanced", "app2 runs 2 replicas and app1's calls reach both, in turn", 20,
                        "give app2 deploy: replicas: 2; calls through the proxy are balanced like any request",
                        Lab4ServiceCalls::callBalanced).requires("call-through-proxy"));
    }

    /** A request through the proxy answered 200 by a replica of {@code service}, not of another service. */
    private static void reaches(LabContext lab, String host, String path, String service, String router) throws Exception {
        String what = "GET " + path + (host == null ? "" : " with Host: " + host);
        ContentResponse r = lab.get(host, path);
        if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") == null) {
            throw new CheckFailed(what + " answered 404 from the proxy: no router matched",
                    Labs.routerProblem(lab, router).map(p -> p + (host == null && path.startsWith("/" + service)
                            ? "; to match every host, the rule needs || PathPrefix(`/" + service + "`)" : "")).orElse(null));
        }
        if (r.getStatus() == 404 && path.startsWith("/" + service)) {
            throw new CheckFailed(what + " reached " + LabContext.instance(r) + " with the prefix still on: it answered 404",
                    Labs.stripPrefixHint(lab, router, "/" + service));
        }
        Labs.expectProducer(lab, r, what, router);
        Map<Integer, String> names = Labs.instanceNames(lab, service);
        String instance = LabContext.instance(r);
        if (!names.containsValue(instance)) {
            throw new CheckFailed(what + " was answered by " + instance + ", which is not a replica of " + service + " "
                    + names.values(), "the router " + router.replaceFirst("@.*", "") + " must send to " + service
                            + "'s own service: give " + service + " labels with its own names (traefik.http.routers."
                            + service + ".rule, traefik.http.services." + service + ".loadbalancer.server.port)");
        }
        lab.note(what + ": " + instance);
    }

    /** {@code GET /app1/call/app2/instance?times=n&check=...} through the proxy, as JSON; fails unless every call reached app2. */
    private static JsonNode call(LabContext lab, int times, String marker) throws Exception {
        String path = "/app1/call/app2/instance?times=" + times + "&check=" + marker;
        ContentResponse r = lab.get(path);
        JsonNode report;
        try {
            report = JSON.readTree(r.getContentAsString());
        } catch (Exception e) {
            report = null;
        }
        if (report == null || !report.has("calls")) {
            Labs.expectProducer(lab, r, "GET " + path, "app1@docker");
            throw new CheckFailed("GET " + path + " answered " + r.getStatus() + ": " + Labs.shorten(r.getContentAsString()));
        }
        String target = report.path("target").asText();
        Map<Integer, String> app2 = Labs.instanceNames(lab, "app2");
        Map<Integer, String> app1 = Labs.instanceNames(lab, "app1");
        for (JsonNode call : report.path("calls")) {
            String error = call.path("error").asText(null);
            if (error != null) {
                throw new CheckFailed("app1 called " + target + " and got no answer: " + error, callErrorHint(target, error));
            }
            int status = call.path("status").asInt();
            String instance = call.path("instance").asText(null);
            if (status == 404 && instance == null) {
                int port = java.net.URI.create(target).getPort();
                if (port > 0 && port != 80) {
                    throw new CheckFailed("app1 called " + target + " and got 404 from port " + port + " of the proxy",
                            "port " + port + " is not the proxy's entry point web (port 80, where the routers are; 8080 is the "
                                    + "API and dashboard): REVERSE_PROXY_URL: http://reverse-proxy");
                }
                String carries = "a call to " + target + " carries the Host of that URL, not app2.localhost";
                throw new CheckFailed("app1 called " + target + " and the proxy answered 404: no router matched it",
                        Labs.routerProblem(lab, "app2@docker").filter(p -> p.contains(" has the rule "))
                                .map(p -> p.replace(", which this request does not match", "") + "; " + carries
                                        + ", so that rule does not match it: add || PathPrefix(`/app2`)")
                                .orElse(carries + ": app2's rule needs || PathPrefix(`/app2`) to match it (the check "
                                        + "\"Requests for /app2/...\" shows the same)"));
            }
            if (status == 404 && app2.containsValue(instance)) {
                if (!loggedByProxy(lab, marker)) {
                    throw new CheckFailed("app1 called " + target + "; app2 (" + instance + ") got it with /app2 still on (404), "
                            + "and the proxy's access log has no line for the call: it went straight to app2",
                            "REVERSE_PROXY_URL (" + target.replaceFirst("(//[^/]+).*", "$1") + ") names app2 itself, so the call "
                                    + "skips the proxy and its stripprefix: app1 must call the proxy, REVERSE_PROXY_URL: "
                                    + "http://reverse-proxy");
                }
                throw new CheckFailed("app1 called " + target + "; app2 (" + instance + ") got it with the prefix still on (404)",
                        Labs.stripPrefixHint(lab, "app2@docker", "/app2"));
            }
            if (status != 200 || !app2.containsValue(instance)) {
                throw new CheckFailed("app1 called " + target + " and got " + status + " from " + (instance == null
                        ? "the proxy" : app1.containsValue(instance) ? "app1 (" + instance + ")" : instance) + ", not from app2 "
                        + app2.values() + ": " + Labs.shorten(call.path("body").toString()),
                        instance == null ? "the proxy could not send it to app2: read the dashboard's router and service app2"
                                : "REVERSE_PROXY_URL must be the proxy's address, http://reverse-proxy, and /app2 must go to app2");
            }
        }
        return report;
    }

    /** Whether the proxy's access log has a call of app1's carrying {@code marker} (within a few seconds). */
    private static boolean loggedByProxy(LabContext lab, String marker) throws InterruptedException {
        return LabContext.eventually(Duration.ofSeconds(3), () -> Labs.accessLog(lab).contains("check=" + marker));
    }

    private static String callErrorHint(String target, String error) {
        if (error.contains("Unresolved") || error.contains("UnknownHost")) {
            return "app1 cannot resolve the host of " + target + ": Docker's DNS answers a service name only to containers "
                    + "on a network that service is on: put app1 and the reverse-proxy on shared-network, and write the "
                    + "proxy's service name: REVERSE_PROXY_URL: http://reverse-proxy";
        }
        if (target.contains("//localhost") || target.contains("//127.0.0.1")) {
            return "inside a container localhost is the container itself, not the proxy: REVERSE_PROXY_URL: http://reverse-proxy";
        }
        return "nothing answered at " + target + ": REVERSE_PROXY_URL must be the proxy's entry point web, "
                + "http://reverse-proxy (port 80), and app1 must share a network with the reverse-proxy";
    }

    private static void callThroughProxy(LabContext lab) throws Exception {
        String marker = "lab4-" + Long.toHexString(System.nanoTime());
        JsonNode report = call(lab, 1, marker);
        String logged = "GET /app2/instance?check=" + marker + " HTTP/1.1";
        List<String> lines = new ArrayList<>();
        boolean seen = LabContext.eventually(Duration.ofSeconds(5), () -> {
            lines.clear();
            Labs.accessLog(lab).lines().filter(l -> l.contains(logged)).forEach(lines::add);
            return !lines.isEmpty();
        });
        if (!seen) {
            throw new CheckFailed("app1's call to " + report.path("target").asText() + " reached app2, but the proxy's access log "
                    + "has no line \"" + logged + "\": it did not pass through the proxy",
                    "app1 must call the proxy (REVERSE_PROXY_URL: http://reverse-proxy), and the proxy must log "
                            + "(--accesslog=true)");
        }
        lab.note("app1 called " + report.path("target").asText() + ", answered by " + report.path("answeredBy")
                + "; the proxy logged " + Labs.shorten(lines.get(0).replaceFirst("^.*? \\| ", "")));
    }

    private static void callBalanced(LabContext lab) throws Exception {
        Map<Integer, String> app2 = Labs.instanceNames(lab, "app2");
        if (app2.size() != APP2_REPLICAS) {
            throw new CheckFailed("app2 runs " + app2.size() + " replica" + (app2.size() == 1 ? "" : "s") + " instead of "
                    + APP2_REPLICAS + ": " + app2.values());
        }
        int times = 3 * APP2_REPLICAS;
        JsonNode report = call(lab, times, "lab4-" + Long.toHexString(System.nanoTime()));
        Map<String, Integer> answeredBy = new TreeMap<>();
        report.path("answeredBy").fields().forEachRemaining(e -> answeredBy.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> perReplica = Labs.countsOf(answeredBy, app2.values());
        int min = perReplica.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = perReplica.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (min == 0 || max - min > 1) {
            throw new CheckFailed("of " + times + " calls from app1, app2's replicas answered " + perReplica + ": not in turn",
                    "app1's calls must go through the proxy (REVERSE_PROXY_URL: http://reverse-proxy), which balances them "
                            + "over app2's servers: check the dashboard shows " + APP2_REPLICAS + " servers for app2, up");
        }
        lab.note(times + " calls from app1: " + perReplica);
    }
}

package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/** What several labs' checks ask: a router from the API, its service, whether the producer answered. */
final class Labs {
    /** The port the sample producer listens on in its container. */
    static final int PRODUCER_PORT = 8081;

    private Labs() {
    }

    /** The router {@code name} from the proxy's API; fails with the routers there are when it is missing. */
    static JsonNode router(LabContext lab, String name) throws Exception {
        JsonNode routers = lab.api("/api/http/routers");
        StringBuilder names = new StringBuilder();
        for (JsonNode r : routers) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
            if (!r.path("provider").asText().equals("internal")) {
                names.append(names.length() == 0 ? "" : ", ").append(r.path("name").asText());
            }
        }
        throw new CheckFailed("the proxy has no router " + name + " (routers: " + (names.length() == 0 ? "none" : names) + ")",
                labelsInEnvironment(lab).orElse(null));
    }

    /**
     * A service whose {@code environment:} holds {@code traefik.*} keys: labels written in the wrong place,
     * where they are the container's environment variables, which the proxy never reads (read from the
     * compose file for the hint only).
     */
    static Optional<String> labelsInEnvironment(LabContext lab) {
        for (var s : lab.topology().compose().services().values()) {
            List<String> keys = s.environment().keySet().stream().filter(k -> k.toLowerCase(java.util.Locale.ROOT)
                    .startsWith("traefik.")).sorted().toList();
            if (!keys.isEmpty()) {
                return Optional.of(s.name() + "'s environment: has " + String.join(", ", keys) + ": there they are environment "
                        + "variables of the container, which the proxy never reads; they are labels: move them under labels:");
            }
        }
        return Optional.empty();
    }

    /** The service the router {@code name} sends to, from the API. */
    static JsonNode serviceOfRouter(LabContext lab, String routerName) throws Exception {
        JsonNode router = router(lab, routerName);
        String service = router.path("service").asText();
        if (!service.contains("@")) {
            service = service + "@" + router.path("provider").asText();
        }
        return lab.api("/api/http/services/" + service);
    }

    /** The answer came from the producer (it sets X-Instance); otherwise fail saying what came instead. */
    static void expectProducer(ContentResponse r, String what) {
        if (r.getStatus() == 200 && r.getHeaders().get("X-Instance") != null) {
            return;
        }
        String hint = switch (r.getStatus()) {
            case 404 -> r.getHeaders().get("X-Instance") == null ? null
                    : "the request reached the producer but it has no such path: is a prefix left that should have been stripped?";
            case 502 -> "the router matched but its server did not answer: is loadbalancer.server.port the port the producer "
                    + "listens on (" + PRODUCER_PORT + ")?";
            case 503 -> "the router matched but its service has no server that is up: check the service's labels and the "
                    + "containers' health";
            case 504 -> "the server did not answer in time";
            default -> null;
        };
        throw new CheckFailed(what + " answered " + r.getStatus() + (r.getHeaders().get("X-Instance") == null
                ? " (not from the producer)" : "") + ": " + shorten(r.getContentAsString()), hint);
    }

    /** The proxy's access log: its output (with --accesslog=true) or the file --accesslog.filepath names. */
    static String accessLog(LabContext lab) {
        return lab.topology().logs("reverse-proxy") + lab.topology().file("reverse-proxy", 1, accessLogPath(lab)).orElse("");
    }

    private static String accessLogPath(LabContext lab) {
        for (String flag : lab.topology().compose().services().get("reverse-proxy").command()) {
            if (flag.toLowerCase(java.util.Locale.ROOT).startsWith("--accesslog.filepath=")) {
                return flag.substring(flag.indexOf('=') + 1);
            }
        }
        return "/dev/null";
    }

    static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 160 ? one.substring(0, 160) + "..." : one;
    }

    /** The check every lab starts with: the proxy's API and dashboard answer on port 8080. */
    static Check dashboardApi(int points) {
        return new Check("dashboard-api", "The dashboard's API answers on port 8080", points,
                "start the reverse-proxy with --api.insecure=true and publish port 8080 (ports: \"8080:8080\")",
                lab -> {
                    JsonNode overview = lab.api("/api/overview");
                    lab.note("routers: " + overview.path("http").path("routers").path("total").asInt());
                });
    }

    /**
     * The name ({@code X-Instance}) of each replica of a compose service that answers, by replica
     * number, asked directly (not through the proxy): what tells the grader which replica answered a
     * request it sent through the proxy.
     */
    static Map<Integer, String> instanceNames(LabContext lab, String service) {
        Map<Integer, String> names = new TreeMap<>();
        if (!lab.topology().compose().services().containsKey(service)) {
            return names;
        }
        for (int replica : lab.topology().replicas(service)) {
            try {
                InetSocketAddress at = lab.topology().direct(service, replica, PRODUCER_PORT);
                ContentResponse r = lab.http().newRequest("http://" + hostAndPort(at) + "/instance")
                        .timeout(5, TimeUnit.SECONDS).send();
                String name = r.getHeaders().get("X-Instance");
                if (name != null) {
                    names.put(replica, name);
                }
            } catch (Exception e) {
                // not running or not answering: not a replica the proxy can use either
            }
        }
        return names;
    }

    /** The producer's default admin token ({@code FAULT_ADMIN_TOKEN}). */
    static final String DEFAULT_ADMIN_TOKEN = "switchboard";

    /**
     * A request straight to one replica's container port, past the proxy: how a check reaches the
     * producer's {@code /instance} and {@code /admin/faults} of the replica it means.
     */
    static Request direct(LabContext lab, String service, int replica, int port, String path) {
        InetSocketAddress at = lab.topology().direct(service, replica, port);
        String host = at.getAddress() != null ? at.getAddress().getHostAddress() : at.getHostString();
        return lab.http().newRequest("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort() + path)
                .timeout(10, TimeUnit.SECONDS);
    }

    /** The replica number of each of the producer's names of {@code service} ({@code X-Instance}), to its replica number. */
    static Map<String, Integer> replicasByInstance(LabContext lab, String service) throws Exception {
        Map<String, Integer> names = new LinkedHashMap<>();
        for (int replica : lab.topology().replicas(service)) {
            names.put(instance(lab, service, replica).path("name").asText(), replica);
        }
        return names;
    }

    private static String hostAndPort(InetSocketAddress at) {
        String host = at.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort();
    }

    /** Sends {@code n} GET requests through the proxy and counts the answers by replica ({@code X-Instance}). */
    static Map<String, Integer> spread(LabContext lab, String host, String path, int n) {
        return lab.spread(n, i -> lab.request(host, path), LabContext::instance);
    }

    /** The servers of a service from the API ({@code loadBalancer.servers}): URL to weight (1 when not given). */
    static Map<String, Integer> weights(JsonNode service) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode server : service.path("loadBalancer").path("servers")) {
            out.put(server.path("url").asText(), server.path("weight").asInt(1));
        }
        return out;
    }

    /**
     * The middlewares of the lab's configuration the proxy's API lists (name to JSON), not the proxy's
     * own ({@code @internal}, e.g. the dashboard's): to tell "not defined" from "not attached".
     */
    static Map<String, JsonNode> middlewares(LabContext lab) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode m : lab.api("/api/http/middlewares")) {
            if (!m.path("provider").asText().equals("internal") && !m.path("name").asText().endsWith("@internal")) {
                out.put(m.path("name").asText(), m);
            }
        }
        return out;
    }

    /**
     * What the API says about a router that did not take a request: missing (with the routers there
     * are), disabled (with its error), or enabled with the rule shown, to compare with the request.
     */
    static Optional<String> routerProblem(LabContext lab, String name) {
        try {
            JsonNode router = router(lab, name);
            String status = router.path("status").asText();
            if (!"enabled".equals(status)) {
                return Optional.of("the router " + name + " is " + status + ": " + router.path("error")
                        + "; the dashboard (port 8080) shows the error, fix that label");
            }
            String rule = router.path("rule").asText();
            String why = rule.contains("&&") ? " (&& matches only requests that match both sides; || matches either)"
                    : rule.matches("(?s).*\\bPath\\(.*") ? " (Path matches that exact path only; PathPrefix matches every path "
                            + "that starts with it)" : "";
            return Optional.of("the router " + name + " has the rule " + rule + ", which this request does not match" + why);
        } catch (CheckFailed e) {
            return Optional.of(e.getMessage() + ": check traefik.enable=true and the router's rule label; the proxy's "
                    + "output (./lab logs reverse-proxy) names labels it could not use");
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * Why a request under {@code prefix} reached the producer with the prefix still on: no stripprefix
     * middleware, one defined but not attached to the router, or one that strips something else. The
     * labels in the hint use the handout's names: router {@code app1}, middleware {@code app1-strip}.
     */
    static String stripPrefixHint(LabContext lab, String routerName, String prefix) throws Exception {
        String router = routerName.replaceFirst("@.*", "");
        String attach = "traefik.http.routers." + router + ".middlewares=" + router + "-strip";
        String define = "traefik.http.middlewares." + router + "-strip.stripprefix.prefixes=" + prefix;
        Map<String, JsonNode> middlewares = middlewares(lab);
        List<String> strippers = new ArrayList<>();
        middlewares.forEach((name, m) -> {
            if (m.has("stripPrefix")) {
                strippers.add(name);
            }
        });
        List<String> attached = new ArrayList<>();
        router(lab, routerName).path("middlewares")
                .forEach(m -> attached.add(m.asText().contains("@") ? m.asText() : m.asText() + "@docker"));
        List<String> used = strippers.stream().filter(attached::contains).toList();
        if (strippers.isEmpty()) {
            return "the proxy has no stripprefix middleware" + (attached.isEmpty() ? "" : " (router " + router + " uses "
                    + attached + ")") + ": define one with " + define + ", and attach it with " + attach;
        }
        if (used.isEmpty()) {
            return "the middleware " + String.join(", ", strippers) + " is defined but not attached to the router " + router
                    + ": add the label traefik.http.routers." + router + ".middlewares=" + strippers.get(0).replaceFirst("@docker$", "");
        }
        JsonNode prefixes = middlewares.get(used.get(0)).path("stripPrefix").path("prefixes");
        for (JsonNode p : prefixes) {
            if (p.asText().replaceAll("/+$", "").equals(prefix)) {
                return "the router " + router + " strips " + prefix + " (" + used.get(0) + "), yet the request reached the "
                        + "producer with " + prefix + " still on: it did not pass through that router (the proxy's access log "
                        + "names the router that took each request)";
            }
        }
        return "the router " + router + " uses " + used.get(0) + ", which strips " + prefixes + ", not " + prefix + ": "
                + define;
    }

    /**
     * As {@link #expectProducer(ContentResponse, String)}, telling a server the proxy cannot reach
     * (502, 504) on the right port from a wrong port: then the proxy and the service share no network.
     */
    static void expectProducer(LabContext lab, ContentResponse r, String what, String routerName) {
        if (r.getStatus() != 502 && r.getStatus() != 504 || r.getHeaders().get("X-Instance") != null) {
            expectProducer(r, what);
            return;
        }
        List<String> servers = new ArrayList<>();
        try {
            serviceOfRouter(lab, routerName).path("serverStatus").fieldNames().forEachRemaining(servers::add);
        } catch (Exception e) {
            // no more to say than expectProducer does
        }
        List<String> wrongPort = servers.stream().filter(u -> !u.endsWith(":" + PRODUCER_PORT)).toList();
        if (!wrongPort.isEmpty()) {
            throw new CheckFailed(what + " answered " + r.getStatus() + ": " + shorten(r.getContentAsString()), portHint(wrongPort.get(0)));
        }
        if (servers.isEmpty()) {
            expectProducer(r, what);
            return;
        }
        throw new CheckFailed(what + " answered " + r.getStatus() + ": the proxy could not reach the servers " + servers,
                "the servers have the right port (" + PRODUCER_PORT + ") but the proxy cannot reach them: the reverse-proxy "
                        + "and the service must share a network (networks: - shared-network on both); containers reach "
                        + "each other only on a network they share");
    }

    /** The counts of {@code names} only, 0 for those that got none: the share of one compose service's replicas. */
    static Map<String, Integer> countsOf(Map<String, Integer> counts, Collection<String> names) {
        Map<String, Integer> out = new TreeMap<>();
        names.forEach(n -> out.put(n, counts.getOrDefault(n, 0)));
        return out;
    }

    /** One replica's {@code /instance}, asked directly. */
    static JsonNode instance(LabContext lab, String service, int replica) throws Exception {
        ContentResponse r = direct(lab, service, replica, PRODUCER_PORT, "/instance").send();
        if (r.getStatus() != 200) {
            throw new CheckFailed(service + " replica " + replica + " answered " + r.getStatus() + " to GET /instance: "
                    + shorten(r.getContentAsString()));
        }
        return JSON.readTree(r.getContentAsString());
    }

    /**
     * Changes one replica's injected faults through the producer's {@code /admin/faults}
     * ({@code PATCH} with a query such as {@code hang=true}, {@code DELETE} to clear them).
     */
    static JsonNode faults(LabContext lab, String service, int replica, String method, String query) throws Exception {
        String token = lab.topology().compose().services().get(service).environment()
                .getOrDefault("FAULT_ADMIN_TOKEN", DEFAULT_ADMIN_TOKEN);
        ContentResponse r = direct(lab, service, replica, PRODUCER_PORT, "/admin/faults" + (query == null ? "" : "?" + query))
                .method(method).headers(h -> h.put("X-Admin-Token", token)).send();
        if (r.getStatus() != 200) {
            throw new IllegalStateException(method + " /admin/faults" + (query == null ? "" : "?" + query) + " on " + service
                    + " replica " + replica + " answered " + r.getStatus() + ": " + shorten(r.getContentAsString()));
        }
        return JSON.readTree(r.getContentAsString());
    }

    /** Clears a replica's faults, ignoring failures: for {@code finally} blocks. */
    static void clearFaults(LabContext lab, String service, int replica) {
        try {
            faults(lab, service, replica, "DELETE", null);
        } catch (Exception e) {
            // the replica may be gone; nothing to clear then
        }
    }

    /** A service from the API by its full name ({@code app1@docker}). */
    static JsonNode service(LabContext lab, String name) throws Exception {
        return lab.api("/api/http/services/" + name);
    }

    /**
     * The URL the proxy uses for one replica (a key of the service's {@code serverStatus}): the one
     * whose address is the replica's; empty when the backend reaches replicas another way (mapped
     * ports), in which case a check tells servers apart by their status instead.
     */
    static Optional<String> serverUrl(LabContext lab, JsonNode serverStatus, String service, int replica) {
        InetSocketAddress at = lab.topology().direct(service, replica, 8081);
        String host = at.getAddress() != null ? at.getAddress().getHostAddress() : at.getHostString();
        for (Iterator<String> urls = serverStatus.fieldNames(); urls.hasNext(); ) {
            String url = urls.next();
            URI u = URI.create(url);
            if (host.equals(u.getHost()) && (u.getPort() == at.getPort() || u.getPort() == PRODUCER_PORT)) {
                return Optional.of(url);
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until the service has {@code servers} servers, all UP (after an earlier check broke and
     * mended a replica); returns the last {@code serverStatus} seen.
     */
    static JsonNode awaitServersUp(LabContext lab, String serviceName, int servers, Duration patience) throws Exception {
        JsonNode[] last = {JSON.createObjectNode()};
        boolean ok = LabContext.eventually(patience, () -> {
            last[0] = service(lab, serviceName).path("serverStatus");
            if (last[0].size() < servers) {
                return false;
            }
            for (JsonNode status : last[0]) {
                if (!"UP".equals(status.asText())) {
                    return false;
                }
            }
            return true;
        });
        if (!ok) {
            throw new CheckFailed("service " + serviceName + " did not have " + servers + " servers UP within "
                    + patience.toSeconds() + " s (it has " + last[0] + ")");
        }
        return last[0];
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** The host of a JDBC URL ({@code jdbc:mysql://db:3306/users_db} gives {@code db}); null for an embedded database. */
    static String databaseHost(String jdbcUrl) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^jdbc:[a-z0-9]+://([^/:?;,]+)").matcher(jdbcUrl);
        return m.find() ? m.group(1) : null;
    }

    /**
     * For a server URL on the wrong port: what the proxy does with it, and the port the producer listens on
     * (derived from the URL the proxy shows, so it never tells a student to write what they wrote).
     */
    static String portHint(String serverUrl) {
        int port = URI.create(serverUrl).getPort();
        return "the proxy sends to " + serverUrl + ", port " + port + ", where the producer does not listen: the service's port "
                + "label is the port inside the container, " + PRODUCER_PORT + " (loadbalancer.server.port=" + PRODUCER_PORT + ")";
    }
}

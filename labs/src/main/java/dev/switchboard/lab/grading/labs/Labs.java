package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import org.eclipse.jetty.client.ContentResponse;

/** What several labs' checks ask: a router from the API, its service, whether the producer answered. */
final class Labs {
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
        throw new CheckFailed("the proxy has no router " + name + " (routers: " + (names.length() == 0 ? "none" : names) + ")");
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
            case 502 -> "the router matched but the server refused the connection: check loadbalancer.server.port (8081)";
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

    /** The producer's default admin token ({@code FAULT_ADMIN_TOKEN}). */
    static final String DEFAULT_ADMIN_TOKEN = "switchboard";

    /**
     * A request straight to one replica's container port, past the proxy: how a check reaches the
     * producer's {@code /instance} and {@code /admin/faults} of the replica it means.
     */
    static org.eclipse.jetty.client.Request direct(LabContext lab, String service, int replica, int port, String path) {
        java.net.InetSocketAddress at = lab.topology().direct(service, replica, port);
        String host = at.getAddress() != null ? at.getAddress().getHostAddress() : at.getHostString();
        return lab.http().newRequest("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort() + path)
                .timeout(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The producer's name for each replica of {@code service} ({@code X-Instance}), to its replica number. */
    static java.util.Map<String, Integer> instanceNames(LabContext lab, String service) throws Exception {
        java.util.Map<String, Integer> names = new java.util.LinkedHashMap<>();
        for (int replica : lab.topology().replicas(service)) {
            names.put(instance(lab, service, replica).path("name").asText(), replica);
        }
        return names;
    }

    /** One replica's {@code /instance}, asked directly. */
    static JsonNode instance(LabContext lab, String service, int replica) throws Exception {
        ContentResponse r = direct(lab, service, replica, 8081, "/instance").send();
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
        ContentResponse r = direct(lab, service, replica, 8081, "/admin/faults" + (query == null ? "" : "?" + query))
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
    static java.util.Optional<String> serverUrl(LabContext lab, JsonNode serverStatus, String service, int replica) {
        java.net.InetSocketAddress at = lab.topology().direct(service, replica, 8081);
        String host = at.getAddress() != null ? at.getAddress().getHostAddress() : at.getHostString();
        for (java.util.Iterator<String> urls = serverStatus.fieldNames(); urls.hasNext(); ) {
            String url = urls.next();
            java.net.URI u = java.net.URI.create(url);
            if (host.equals(u.getHost()) && (u.getPort() == at.getPort() || u.getPort() == 8081)) {
                return java.util.Optional.of(url);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Waits until the service has {@code servers} servers, all UP (after an earlier check broke and
     * mended a replica); returns the last {@code serverStatus} seen.
     */
    static JsonNode awaitServersUp(LabContext lab, String serviceName, int servers, java.time.Duration patience) throws Exception {
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

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}

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
}

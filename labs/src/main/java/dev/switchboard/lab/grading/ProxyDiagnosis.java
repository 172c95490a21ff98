package dev.switchboard.lab.grading;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the proxy itself says is wrong with a router, service or middleware a check is about: the
 * {@code error} its API reports (a router disabled by a rule it cannot parse, a middleware or
 * service that does not exist, a bad option), or, when the element is missing altogether, the lines
 * of its log that name it (two containers defining it differently, a label it could not use). The
 * proxy knows the student's mistake better than any guess of the grader, so this comes first in a
 * failed check's hint.
 *
 * <p>Log lines are matched in Switchboard's words and in Traefik's ({@code routerName=app1},
 * {@code Router defined multiple times}), so the diagnosis also works against a real Traefik.
 */
public final class ProxyDiagnosis {
    private static final int MAX_LINES = 2;
    /** A log line at warning or error level, in Switchboard's or Traefik's formats. */
    private static final Pattern PROBLEM = Pattern.compile("\\b(WRN|ERR|WARN|ERROR)\\b|level=(warn|warning|error)",
            Pattern.CASE_INSENSITIVE);
    /** The prefix the topology gives each line ({@code lab1-reverse-proxy-1 | }) and the proxy's time stamp and level. */
    private static final Pattern PREFIX = Pattern.compile("^(\\S+ \\| )?(\\d{4}-\\d\\d-\\d\\dT\\S+ )?((WRN|ERR|WARN|ERROR) )?");

    private ProxyDiagnosis() {
    }

    /**
     * The first problem the proxy reports about any of {@code apiPaths} ({@code routers/app1@docker}),
     * as one sentence for a hint; empty when it reports none (or its API does not answer).
     */
    public static Optional<String> of(LabContext lab, List<String> apiPaths) {
        for (String path : apiPaths) {
            try {
                Optional<String> problem = about(lab, path);
                if (problem.isPresent()) {
                    return problem;
                }
            } catch (Exception | AssertionError e) {
                // no API, no diagnosis: the check's own hint stands
            }
        }
        return Optional.empty();
    }

    private static Optional<String> about(LabContext lab, String path) throws Exception {
        int slash = path.indexOf('/');
        String section = path.substring(0, slash);
        String name = path.substring(slash + 1);
        String kind = section.substring(0, section.length() - 1);
        Optional<JsonNode> element = lab.apiIfPresent("/api/http/" + section + "/" + name);
        if (element.isEmpty()) {
            List<String> lines = logLines(lab.proxyLog(), kind, local(name));
            if (lines.isEmpty()) {
                lines = providerLines(lab.proxyLog(), provider(name));
            }
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            String hint = "the proxy has no " + kind + " " + name + "; its log says why: " + String.join(" / ", lines);
            if (name.endsWith("@docker") && lines.stream().allMatch(l -> l.contains("does not exist"))) {
                // the lines only show who misses it: say where a Docker element comes from
                hint += " (no container defines it: the compose service that should needs traefik.enable=true and its labels "
                        + "traefik.http." + section + "." + local(name) + ".*)";
            }
            return Optional.of(hint);
        }
        JsonNode e = element.get();
        List<String> errors = errors(e);
        boolean disabled = "disabled".equals(e.path("status").asText());
        if (!errors.isEmpty() && (disabled || kind.equals("router"))) {
            String why = "";
            String service = e.path("service").asText("");
            if (kind.equals("router") && !service.isEmpty()
                    && lab.apiIfPresent("/api/http/services/" + qualified(service, provider(name))).isEmpty()) {
                List<String> lines = logLines(lab.proxyLog(), "service", local(service));
                why = lines.isEmpty() ? "" : "; its log says why the service " + local(service) + " is missing: "
                        + String.join(" / ", lines);
            }
            return Optional.of("the proxy reports the " + kind + " " + name + (disabled ? " disabled: " : ": ")
                    + String.join("; ", errors) + why);
        }
        if (!kind.equals("router")) {
            return Optional.empty();
        }
        String provider = provider(name);
        for (JsonNode m : e.path("middlewares")) {
            String middleware = qualified(m.asText(), provider);
            Optional<JsonNode> mw = lab.apiIfPresent("/api/http/middlewares/" + middleware);
            if (mw.isPresent() && "disabled".equals(mw.get().path("status").asText()) && !errors(mw.get()).isEmpty()) {
                return Optional.of("the proxy reports the middleware " + middleware + " of the router " + name + " disabled: "
                        + String.join("; ", errors(mw.get())));
            }
        }
        String service = e.path("service").asText("");
        return service.isEmpty() ? Optional.empty() : service(lab, name, qualified(service, provider), 0);
    }

    /**
     * A problem of the service {@code qualified} a router sends to, or of the services it is made of
     * (weighted, mirroring, failover), {@code depth} levels down.
     */
    private static Optional<String> service(LabContext lab, String router, String qualified, int depth) throws Exception {
        Optional<JsonNode> s = lab.apiIfPresent("/api/http/services/" + qualified);
        if (s.isEmpty()) {
            List<String> lines = logLines(lab.proxyLog(), "service", local(qualified));
            return lines.isEmpty() ? Optional.empty() : Optional.of("the router " + router + " sends to the service " + qualified
                    + ", which the proxy does not have; its log says why: " + String.join(" / ", lines));
        }
        JsonNode service = s.get();
        if ("disabled".equals(service.path("status").asText()) && !errors(service).isEmpty()) {
            return Optional.of("the proxy reports the service " + qualified + (depth == 0 ? " of the router " : ", behind the router ")
                    + router + ", disabled: " + String.join("; ", errors(service)));
        }
        if (depth >= 3) {
            return Optional.empty();
        }
        List<String> children = new ArrayList<>();
        service.path("weighted").path("services").forEach(c -> children.add(c.path("name").asText()));
        children.add(service.path("mirroring").path("service").asText(""));
        service.path("mirroring").path("mirrors").forEach(c -> children.add(c.path("name").asText()));
        children.add(service.path("failover").path("service").asText(""));
        children.add(service.path("failover").path("fallback").asText(""));
        for (String child : children) {
            if (!child.isEmpty()) {
                Optional<String> problem = service(lab, router, qualified(child, provider(qualified)), depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> errors(JsonNode element) {
        List<String> out = new ArrayList<>();
        element.path("error").forEach(x -> out.add(x.asText()));
        return out;
    }

    /**
     * The proxy's warnings and errors that name the {@code kind} ({@code router}) {@code name}, most
     * recent last, without their time stamps; at most {@link #MAX_LINES}.
     */
    static List<String> logLines(String log, String kind, String name) {
        String n = Pattern.quote(name.toLowerCase(Locale.ROOT));
        return problems(log, Pattern.compile("(" + kind + "s?\\s*\"" + n + "(@\\w+)?\")|(" + kind + "s\\." + n + "\\.)|(" + kind
                + "name=\"?" + n + "\\b)|(\\." + n + "\\.)|(\\b" + kind + " " + n + "(@\\w+)?\\b)", Pattern.CASE_INSENSITIVE));
    }

    /**
     * The proxy's warnings and errors about the containers of the compose service {@code service}
     * ({@code lab2-app1-large-1}, {@code lab2_app1-large_1}): labels of theirs it could not use.
     */
    public static List<String> aboutContainersOf(LabContext lab, String service) {
        return problems(lab.proxyLog(), Pattern.compile("[-_]" + Pattern.quote(service) + "[-_]\\d+\\b"));
    }

    /** Warning and error lines of {@code log} that {@code about} finds, most recent last, without prefixes; at most two. */
    static List<String> problems(String log, Pattern about) {
        Set<String> found = new LinkedHashSet<>();
        for (String line : log.split("\n")) {
            if (PROBLEM.matcher(line).find() && about.matcher(line).find()) {
                String text = PREFIX.matcher(line.strip()).replaceFirst("");
                found.remove(text);
                found.add(text);
            }
        }
        List<String> all = new ArrayList<>(found);
        return all.subList(Math.max(0, all.size() - MAX_LINES), all.size());
    }

    /**
     * When no line names a missing element: the provider's lines that explain why a whole source of
     * configuration gives nothing, a container whose labels cannot be used (Switchboard: "gets no route";
     * Traefik: "field not found", "Skip container") or without {@code traefik.enable}, or the file provider
     * that cannot read its folder.
     */
    static List<String> providerLines(String log, String provider) {
        return problems(log, provider.equals("file")
                ? Pattern.compile("file provider|providername=file|provider file|providers\\.file", Pattern.CASE_INSENSITIVE)
                : Pattern.compile("gets no route|field not found|skip container|traefik\\.enable", Pattern.CASE_INSENSITIVE));
    }

    private static String local(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    private static String provider(String name) {
        int at = name.indexOf('@');
        return at < 0 ? "docker" : name.substring(at + 1);
    }

    private static String qualified(String ref, String provider) {
        return ref.contains("@") ? ref : ref + "@" + provider;
    }
}

package dev.switchboard.proxy.provider.docker;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.OptionOrigins;
import dev.switchboard.proxy.config.Suggestions;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.config.dynamic.TlsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a container's {@code traefik.*} labels into the configuration model the file provider
 * produces. The grammar is Traefik's: {@code traefik.http.routers.<name>.rule},
 * {@code traefik.http.services.<name>.loadbalancer.server.port}, {@code
 * traefik.http.middlewares.<name>.<kind>.<option>}; keys ignore case, lists are comma-separated,
 * {@code [n]} indexes a list of objects ({@code tls.domains[0].main}), {@code true} switches a
 * section on. As in Traefik, {@code loadbalancer.server.*} describes the one server this container
 * is ({@code port}, {@code scheme}, {@code url}, {@code weight}, {@code preservePath}), since
 * replicas each add their own.
 *
 * <p>Each label is bound through {@link ConfigMapper#fromTree}, so every option of every router,
 * service and middleware record is a label too, and a misspelt one is named with the closest valid
 * label. Labels from Traefik v1 tutorials ({@code traefik.frontend.rule}, {@code traefik.port}) are
 * reported with their v3 spelling.
 */
public final class LabelParser {

    private LabelParser() {
    }

    /** One label's problem: the label as written and a message that names it and the fix. */
    public record Problem(String label, String message) {
    }

    /**
     * What a container's {@code loadbalancer.server.*} labels say about the server it is.
     * {@code port} and {@code scheme} exist only in labels (Traefik's label-slice-as-struct).
     */
    public record ServerLabels(String url, Integer weight, Boolean preservePath, String port, String scheme) {
        static final ServerLabels NONE = new ServerLabels(null, null, null, null, null);
    }

    /**
     * The labels of one container.
     *
     * @param enable {@code traefik.enable}, or null when absent
     * @param network {@code traefik.docker.network}, or null
     * @param servers {@code loadbalancer.server.*} per service name
     * @param errors labels that cannot be read: Traefik skips such a container, and so does Switchboard
     * @param warnings labels that are ignored (Traefik v1, TCP/UDP), with the fix
     * @param hasTraefikLabels whether any label starts with {@code traefik.}
     */
    public record Parsed(Boolean enable, String network, boolean allowNonRunning, HttpConfig http,
            Map<String, ServerLabels> servers, TlsConfig.Store defaultStore, List<Problem> errors,
            List<Problem> warnings, boolean hasTraefikLabels, boolean hasHttpLabels) {

        public ServerLabels server(String service) {
            for (Map.Entry<String, ServerLabels> e : servers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(service)) {
                    return e.getValue();
                }
            }
            return ServerLabels.NONE;
        }
    }

    private static final List<String> SECTIONS = List.of("routers", "services", "middlewares", "serversTransports");
    private static final List<String> ROOTS = List.of("enable", "http", "docker", "tls", "tcp", "udp");
    private static final Pattern INDEXED = Pattern.compile("(.*?)\\[(\\d+)]");

    /** One WARN per label Traefik v3.2 does not know ({@link OptionOrigins}); traefik.http.* as its dynamic key. */
    private static void warnLaterOption(String lowerKey, String value, String container) {
        String where = "label " + lowerKey + " (container or service " + container + ")";
        if (lowerKey.startsWith("traefik.http.")) {
            String key = lowerKey.substring("traefik.http.".length());
            OptionOrigins.check("dynamic:" + key, where);
            OptionOrigins.check("value:" + key + "=" + value.toLowerCase(Locale.ROOT), where);
            // a label names any prefix of the path too: traefik.http.services.s.loadbalancer.passivehealthcheck.failurewindow
            String[] parts = key.split("\\.");
            for (int i = parts.length - 1; i > 1; i--) {
                OptionOrigins.check("dynamic:" + String.join(".", java.util.Arrays.copyOf(parts, i)), where);
            }
        } else {
            OptionOrigins.check("label:" + lowerKey, where);
        }
    }

    /**
     * Parses {@code labels}; {@code exampleName} (the compose service or container name) fills the
     * fixes suggested for Traefik v1 labels.
     */
    public static Parsed parse(Map<String, String> labels, String exampleName) {
        String example = exampleName == null || exampleName.isBlank() ? "app" : exampleName;
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Boolean enable = null;
        String network = null;
        boolean allowNonRunning = false;
        boolean any = false;
        boolean anyHttp = false;
        Map<String, Object> http = tree();
        Map<String, Object> tlsStore = tree();
        boolean anyTls = false;

        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            String key = label.getKey().trim();
            String value = label.getValue() == null ? "" : label.getValue().trim();
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("traefik.") && !lower.equals("traefik")) {
                continue;
            }
            any = true;
            String shown = key + "=" + value;
            warnLaterOption(lower, value, example);
            if (lower.equals("traefik.enable")) {
                if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                    enable = Boolean.parseBoolean(value.toLowerCase(Locale.ROOT));
                } else {
                    errors.add(new Problem(key, "label " + shown + ": traefik.enable is true or false: write traefik.enable=true"));
                }
                continue;
            }
            if (lower.startsWith("traefik.docker.")) {
                String option = key.substring("traefik.docker.".length());
                if (option.equalsIgnoreCase("network")) {
                    network = value.isEmpty() ? null : value;
                } else if (option.equalsIgnoreCase("allowNonRunning")) {
                    allowNonRunning = value.equalsIgnoreCase("true");
                } else if (option.equalsIgnoreCase("lbswarm")) {
                    warnings.add(new Problem(key, "label " + shown + " is for Docker Swarm, which Switchboard does not run: "
                            + "remove it"));
                } else {
                    String msg = "unknown label " + key;
                    String closest = Suggestions.closest(option, List.of("network", "allowNonRunning")).orElse(null);
                    errors.add(new Problem(key, closest != null ? msg + ": did you mean traefik.docker." + closest + "?"
                            : msg + ": the traefik.docker labels are traefik.docker.network and traefik.docker.allowNonRunning"));
                }
                continue;
            }
            if (lower.startsWith("traefik.http.")) {
                anyHttp = true;
                put(http, key, key.substring("traefik.http.".length()), value, errors);
                continue;
            }
            if (lower.startsWith("traefik.tls.stores.default.")) {
                anyTls = true;
                put(tlsStore, key, key.substring("traefik.tls.stores.default.".length()), value, errors);
                continue;
            }
            if (lower.startsWith("traefik.tls.")) {
                // Traefik decodes only traefik.tls.stores.default.*: the rest is ignored, the container kept.
                warnings.add(new Problem(key, "label " + key + " is ignored: labels can set only traefik.tls.stores.default.*; "
                        + "TLS options and certificates belong in the file provider's tls section"));
                continue;
            }
            if (lower.startsWith("traefik.tcp.") || lower.startsWith("traefik.udp.")) {
                warnings.add(new Problem(key, "label " + key + " is ignored: Switchboard routes HTTP only; "
                        + "use traefik.http.* labels"));
                continue;
            }
            Problem legacy = legacy(key, value, example);
            if (legacy != null) {
                warnings.add(legacy);
                continue;
            }
            String root = lower.startsWith("traefik.") ? key.substring("traefik.".length()).split("\\.", 2)[0] : "";
            String closest = Suggestions.closest(root, ROOTS).orElse(null);
            String msg = "unknown label " + key;
            String section = Suggestions.closest(root, SECTIONS).orElse(null);
            if (section != null && closest == null) {
                // traefik.routers.app1.rule: the http part is missing.
                msg += ": did you mean traefik.http." + key.substring("traefik.".length()) + "?";
            } else if (closest != null) {
                String rest = key.substring(Math.min(key.length(), "traefik.".length() + root.length()));
                msg += ": did you mean traefik." + closest + rest + "?";
            } else {
                msg += ": Traefik v3 labels start with traefik.http., traefik.enable or traefik.docker.";
            }
            // Traefik decodes only traefik.http/tcp/udp/tls.stores.default, traefik.enable and traefik.docker:
            // a label under another root is ignored and the container keeps its routes.
            warnings.add(new Problem(key, msg + " (ignored, as Traefik ignores it)"));
        }

        Map<String, Router> routers = new LinkedHashMap<>();
        Map<String, Service> services = new LinkedHashMap<>();
        Map<String, Middleware> middlewares = new LinkedHashMap<>();
        Map<String, ServersTransport> transports = new LinkedHashMap<>();
        Map<String, ServerLabels> servers = new LinkedHashMap<>();
        for (Map.Entry<String, Object> section : http.entrySet()) {
            String sectionName = canonical(section.getKey(), SECTIONS);
            String sectionLabel = "traefik.http." + section.getKey();
            if (sectionName == null) {
                String closest = Suggestions.closest(section.getKey(), SECTIONS).orElse(null);
                errors.add(new Problem(sectionLabel, "unknown label " + sectionLabel + ".*: "
                        + (closest != null ? "did you mean traefik.http." + closest.toLowerCase(Locale.ROOT) + "?"
                                : "the traefik.http labels are routers, services and middlewares")));
                continue;
            }
            if (!(section.getValue() instanceof Map)) {
                errors.add(new Problem(sectionLabel, "label " + sectionLabel + " needs a name and an option: "
                        + "traefik.http." + sectionName.toLowerCase(Locale.ROOT) + ".<name>.<option>"));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> elements = (Map<String, Object>) section.getValue();
            for (Map.Entry<String, Object> element : elements.entrySet()) {
                String name = element.getKey();
                String prefix = sectionLabel + "." + name;
                if (!(element.getValue() instanceof Map)) {
                    errors.add(new Problem(prefix, "label " + prefix + "=" + element.getValue() + " needs an option after the name, "
                            + "such as " + prefix + "." + exampleOption(sectionName)));
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) element.getValue();
                switch (sectionName) {
                    case "routers" -> {
                        Router r = bind(body, Router.class, prefix, errors);
                        if (r != null) {
                            routers.put(name, r);
                        }
                    }
                    case "services" -> {
                        ServerLabels server = extractServer(body, prefix, errors);
                        Service s = bind(body, Service.class, prefix, errors);
                        if (s != null) {
                            services.put(name, s);
                            servers.put(name, server == null ? ServerLabels.NONE : server);
                        }
                    }
                    case "middlewares" -> {
                        Middleware m = bind(body, Middleware.class, prefix, errors);
                        if (m != null) {
                            middlewares.put(name, m);
                        }
                    }
                    default -> {
                        ServersTransport t = bind(body, ServersTransport.class, prefix, errors);
                        if (t != null) {
                            transports.put(name, t);
                        }
                    }
                }
            }
        }
        TlsConfig.Store store = anyTls ? bind(tlsStore, TlsConfig.Store.class, "traefik.tls.stores.default", errors) : null;
        return new Parsed(enable, network, allowNonRunning, new HttpConfig(routers, services, middlewares, transports),
                servers, store, List.copyOf(errors), List.copyOf(warnings), any, anyHttp);
    }

    private static String exampleOption(String section) {
        return switch (section) {
            case "routers" -> "rule=Host(`app.localhost`)";
            case "services" -> "loadbalancer.server.port=8080";
            case "middlewares" -> "stripprefix.prefixes=/app";
            default -> "<option>";
        };
    }

    private static String canonical(String key, List<String> names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(key)) {
                return n;
            }
        }
        return null;
    }

    /** A map with case-insensitive keys: labels are matched without regard to case, as in Traefik. */
    private static Map<String, Object> tree() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    /** Splits {@code a.b[0].c} into {@code a, b, [0], c}. */
    private static List<String> segments(String dotted) {
        List<String> out = new ArrayList<>();
        for (String part : dotted.split("\\.", -1)) {
            Matcher m = INDEXED.matcher(part);
            if (m.matches() && !m.group(1).isEmpty()) {
                out.add(m.group(1));
                out.add("[" + Integer.parseInt(m.group(2)) + "]");
            } else {
                out.add(part);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String label, String rest, String value, List<Problem> errors) {
        List<String> path = segments(rest);
        if (path.stream().anyMatch(String::isEmpty)) {
            errors.add(new Problem(label, "label " + label + " has an empty part between dots: remove the extra dot"));
            return;
        }
        Map<String, Object> node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object child = node.get(path.get(i));
            if (!(child instanceof Map)) {
                if (child != null && !"true".equalsIgnoreCase((String) child)) {
                    errors.add(new Problem(label, "label " + label + " conflicts with the value " + child
                            + " of another label on the same key: keep one of them"));
                    return;
                }
                child = tree();
                node.put(path.get(i), child);
            }
            node = (Map<String, Object>) child;
        }
        String leaf = path.get(path.size() - 1);
        Object existing = node.get(leaf);
        if (existing instanceof Map) {
            if (!"true".equalsIgnoreCase(value)) {
                errors.add(new Problem(label, "label " + label + "=" + value + " conflicts with the labels below "
                        + label + ".*: keep one of them"));
            }
            return; // "...tls=true" next to "...tls.options=x": the section is on.
        }
        if (existing != null) {
            // Same key twice with different case (traefik.http.routers.a.rule and .Rule).
            errors.add(new Problem(label, "label " + label + " is given twice (keys ignore case): keep one"));
            return;
        }
        node.put(leaf, value);
    }

    /**
     * Takes {@code loadbalancer.server.*} out of a service's labels and binds it: Traefik's
     * label-slice-as-struct, one server per container.
     */
    @SuppressWarnings("unchecked")
    private static ServerLabels extractServer(Map<String, Object> service, String prefix, List<Problem> errors) {
        Object lb = service.get("loadBalancer");
        if (!(lb instanceof Map)) {
            return null;
        }
        Map<String, Object> lbMap = (Map<String, Object>) lb;
        String lbKey = service.keySet().stream().filter(k -> k.equalsIgnoreCase("loadBalancer")).findFirst().orElse("loadbalancer");
        String lbPrefix = prefix + "." + lbKey;
        if (lbMap.containsKey("servers")) {
            lbMap.remove("servers");
            errors.add(new Problem(lbPrefix + ".servers", "label " + lbPrefix + ".servers...: in labels each container is one server: "
                    + "write " + lbPrefix + ".server.port=8080 (or .server.url, .server.scheme)"));
        }
        Object server = lbMap.remove("server");
        if (server == null) {
            return null;
        }
        if (!(server instanceof Map)) {
            errors.add(new Problem(lbPrefix + ".server", "label " + lbPrefix + ".server=" + server + " needs an option: "
                    + lbPrefix + ".server.port=8080"));
            return null;
        }
        ServerLabels bound = bind((Map<String, Object>) server, ServerLabels.class, lbPrefix + ".server", errors);
        if (bound == null) {
            return null;
        }
        if (bound.port() != null && !bound.port().isBlank()) { // empty: the exposed port, as in Traefik
            String port = bound.port().trim();
            boolean valid = port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
            if (!valid) {
                errors.add(new Problem(lbPrefix + ".server.port", "label " + lbPrefix + ".server.port=" + bound.port()
                        + ": a port is a number from 1 to 65535: the port the application listens on inside the container"));
                return null;
            }
        }
        return bound;
    }

    /**
     * Binds one element; on an error, records it, drops the label it is about and tries again, so
     * that every mistake in the element is reported at once. Null if anything was wrong.
     */
    private static <T> T bind(Map<String, Object> body, Class<T> type, String prefix, List<Problem> errors) {
        boolean failed = false;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                T value = ConfigMapper.fromTree(lists(body), type, "label", path -> labelName(prefix, spelled(body, path)));
                return failed ? null : value;
            } catch (ConfigException e) {
                failed = true;
                List<String> path = e.getCause() instanceof JsonMappingException jme ? spelled(body, pathOf(jme)) : List.of();
                errors.add(new Problem(labelName(prefix, path), labelMessage(e.getMessage(), prefix)));
                if (path.isEmpty() || !remove(body, path)) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * A binding error's path as the labels spell it: each key as written, and the kind of a service
     * or middleware ({@code stripprefix}), which Jackson's path leaves out, put back.
     */
    @SuppressWarnings("unchecked")
    private static List<String> spelled(Map<String, Object> body, List<String> path) {
        List<String> out = new ArrayList<>();
        Object node = body;
        if (!path.isEmpty() && actualKey(body, path.get(0)) == null && body.size() == 1
                && body.values().iterator().next() instanceof Map) {
            String kind = body.keySet().iterator().next();
            out.add(kind);
            node = body.get(kind);
        }
        for (String segment : path) {
            if (!(node instanceof Map)) {
                out.add(segment);
                node = null;
                continue;
            }
            Map<String, Object> map = (Map<String, Object>) node;
            String actual = actualKey(map, segment);
            out.add(actual != null ? actual : segment);
            node = actual != null ? map.get(actual) : null;
        }
        return out;
    }

    private static String actualKey(Map<String, Object> map, String key) {
        for (String k : map.keySet()) {
            if (k.equalsIgnoreCase(key)) {
                return k;
            }
        }
        return null;
    }

    /** Messages about a whole element ("a middleware needs its kind") get the label prefix they are about. */
    private static String labelMessage(String message, String prefix) {
        message = message.replace("`java.time.Duration`", "duration")
                .replaceAll("Cannot deserialize value of type (Integer|Long|int|long) from String (\"[^\"]*\"): not a valid \\w+ value",
                        "$2 is not a whole number")
                .replaceAll("Cannot deserialize value of type (Boolean|boolean) from String (\"[^\"]*\"): only \"true\" or \"false\" recognized",
                        "$2 is not true or false")
                .replaceAll("Cannot deserialize value of type duration from String (\"[^\"]*\"): ", "$1: ");
        return message.startsWith("label ") || message.startsWith("unknown label ") ? message : "label " + prefix + ".*: " + message;
    }

    private static List<String> pathOf(JsonMappingException e) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return path;
    }

    /** {@code traefik.http.routers.app1} + {@code [tls, domains, [0], main]}: the label as a person writes it. */
    static String labelName(String prefix, List<String> path) {
        StringBuilder sb = new StringBuilder(prefix);
        for (String segment : path) {
            if (segment.startsWith("[")) {
                sb.append(segment);
            } else {
                sb.append('.').append(segment);
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static boolean remove(Map<String, Object> body, List<String> path) {
        Object node = body;
        for (int i = 0; i < path.size() - 1; i++) {
            if (!(node instanceof Map)) {
                return false;
            }
            node = ((Map<String, Object>) node).get(path.get(i));
        }
        return node instanceof Map && ((Map<String, Object>) node).remove(path.get(path.size() - 1)) != null;
    }

    /** A copy of the tree where maps keyed {@code [0]}, {@code [1]}... are lists, for binding. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> lists(Map<String, Object> tree) {
        Map<String, Object> out = tree();
        tree.forEach((k, v) -> out.put(k, v instanceof Map ? listOrMap((Map<String, Object>) v) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object listOrMap(Map<String, Object> map) {
        boolean indexed = !map.isEmpty() && map.keySet().stream().allMatch(k -> k.matches("\\[\\d+]"));
        if (!indexed) {
            return lists(map);
        }
        TreeMap<Integer, Object> byIndex = new TreeMap<>();
        map.forEach((k, v) -> byIndex.put(Integer.parseInt(k.substring(1, k.length() - 1)),
                v instanceof Map ? listOrMap((Map<String, Object>) v) : v));
        return new ArrayList<>(byIndex.values());
    }

    /** Traefik v1 labels (v1 was replaced in 2019 but lives on in tutorials), with their v3 spelling. */
    static Problem legacy(String key, String value, String name) {
        String lower = key.toLowerCase(Locale.ROOT);
        String[] parts = lower.split("\\.");
        // traefik.<segment>.frontend.rule: v1 "segment" labels.
        String rest = lower.substring("traefik.".length());
        if (parts.length >= 3 && !ROOTS.contains(parts[1]) && (parts[2].equals("frontend") || parts[2].equals("port")
                || parts[2].equals("protocol") || parts[2].equals("backend") || parts[2].equals("weight"))) {
            name = key.split("\\.")[1];
            rest = lower.substring(("traefik." + parts[1] + ".").length());
        }
        String v3;
        switch (rest) {
            case "frontend.rule" -> {
                String rule = v1Rule(value);
                v3 = "traefik.http.routers." + name + ".rule=" + (rule == null ? "Host(`" + name + ".localhost`)" : rule);
                if (value.toLowerCase(Locale.ROOT).contains("strip:") || value.toLowerCase(Locale.ROOT).contains("stripregex:")) {
                    String prefix = value.substring(value.indexOf(':') + 1).split("[,;]")[0].trim();
                    v3 += " with a stripprefix middleware: traefik.http.middlewares." + name + "-strip.stripprefix.prefixes="
                            + prefix + " and traefik.http.routers." + name + ".middlewares=" + name + "-strip";
                }
            }
            case "port" -> v3 = "traefik.http.services." + name + ".loadbalancer.server.port=" + value;
            case "protocol" -> v3 = "traefik.http.services." + name + ".loadbalancer.server.scheme=" + value;
            case "weight" -> v3 = "traefik.http.services." + name + ".loadbalancer.server.weight=" + value;
            case "frontend.entrypoints" -> v3 = "traefik.http.routers." + name + ".entrypoints=" + value;
            case "frontend.priority" -> v3 = "traefik.http.routers." + name + ".priority=" + value;
            case "frontend.passhostheader" -> v3 = "traefik.http.services." + name + ".loadbalancer.passhostheader=" + value;
            case "backend" -> v3 = "no label: in v3 the service is named by traefik.http.services." + value + ".*"
                    + " and a router picks it with traefik.http.routers." + name + ".service=" + value;
            default -> {
                if (rest.startsWith("frontend.") || rest.startsWith("backend.")) {
                    v3 = "the traefik.http.routers." + name + ".* and traefik.http.services." + name
                            + ".* labels (see docs/reference/docker-labels.md)";
                } else {
                    return null;
                }
            }
        }
        return new Problem(key, "label " + key + "=" + value + " is Traefik v1 syntax, which v3 ignores: write " + v3);
    }

    /** {@code Host:a.localhost;PathPrefixStrip:/api} in v3 syntax, or null if it does not look like a v1 rule. */
    static String v1Rule(String value) {
        List<String> all = new ArrayList<>();
        for (String part : value.split(";")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            String matcher = part.substring(0, colon).trim();
            String v3 = switch (matcher.toLowerCase(Locale.ROOT)) {
                case "host" -> "Host";
                case "hostregexp" -> "HostRegexp";
                case "path", "pathstrip" -> "Path";
                case "pathprefix", "pathprefixstrip" -> "PathPrefix";
                case "method" -> "Method";
                default -> null;
            };
            if (v3 == null) {
                return null;
            }
            List<String> any = new ArrayList<>();
            for (String arg : part.substring(colon + 1).split(",")) {
                if (!arg.isBlank()) {
                    any.add(v3 + "(`" + arg.trim() + "`)");
                }
            }
            all.add(any.size() == 1 ? any.get(0) : "(" + String.join(" || ", any) + ")");
        }
        return all.isEmpty() ? null : String.join(" && ", all);
    }
}

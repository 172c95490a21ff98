package dev.switchboard.lab.compose;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.Durations;
import dev.switchboard.proxy.config.LocationIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Compose file into {@link ComposeFile}: the short and long forms compose accepts (lists or
 * maps for environment and labels, {@code "80:80"} or long-form ports, {@code depends_on} as a list
 * or with conditions), {@code ${VAR}} / {@code ${VAR:-default}} interpolation from the environment
 * and the {@code .env} file next to it. Keys the lab topologies never need are reported, not ignored.
 */
public final class ComposeParser {
    /** Service keys read into the model. */
    static final Set<String> SUPPORTED = Set.of("image", "build", "command", "environment", "ports", "expose", "labels",
            "deploy", "networks", "depends_on", "healthcheck", "volumes", "container_name", "hostname", "restart",
            "env_file", "stop_grace_period", "stop_signal", "tty", "stdin_open", "init", "logging", "platform",
            "pull_policy", "scale", "profiles");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Path file;
    private final Map<String, String> env;
    private LocationIndex where;

    private ComposeParser(Path file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** Parses {@code file}, interpolating from the process environment and the {@code .env} beside the file. */
    public static ComposeFile parse(Path file) {
        return parse(file, environment(file));
    }

    /** The variables compose interpolates {@code file} with: the {@code .env} beside it, overridden by the process environment. */
    public static Map<String, String> environment(Path file) {
        Map<String, String> env = new LinkedHashMap<>(dotEnv(file.toAbsolutePath().getParent().resolve(".env")));
        env.putAll(System.getenv());
        return env;
    }

    /** Parses {@code file} with exactly these variables. */
    public static ComposeFile parse(Path file, Map<String, String> env) {
        return new ComposeParser(file, env).read();
    }

    private static Map<String, String> dotEnv(Path path) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (!Files.isRegularFile(path)) {
            return vars;
        }
        try {
            for (String line : Files.readAllLines(path)) {
                String l = line.trim();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq <= 0) {
                    continue;
                }
                String value = l.substring(eq + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                vars.put(l.substring(0, eq).trim(), value);
            }
        } catch (IOException e) {
            throw new ComposeException(path + ": cannot read: " + e.getMessage());
        }
        return vars;
    }

    private ComposeFile read() {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ComposeException(file + ": cannot read: " + e.getMessage());
        }
        where = LocationIndex.of(display(), text, ConfigMapper.Format.YAML);
        Map<String, Object> root;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = ConfigMapper.readString(text, ConfigMapper.Format.YAML, display(), Map.class);
            root = m;
        } catch (ConfigException e) {
            throw new ComposeException(e.getMessage());
        }
        if (root != null) {
            for (String key : root.keySet()) {
                java.util.Optional<String> misplaced = ComposeSchema.misplacedTopLevelKey(key);
                if (misplaced.isPresent()) {
                    throw new ComposeException(where.locate(key) + ": " + misplaced.get());
                }
            }
        }
        if (root == null || !(root.get("services") instanceof Map)) {
            throw new ComposeException(display() + ": no services: a compose file lists its containers under services:");
        }
        String project = root.get("name") != null ? interpolate(String.valueOf(root.get("name")), "name")
                : file.toAbsolutePath().getParent().getFileName().toString();
        project = normaliseProject(project);
        Map<String, ComposeFile.Service> services = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(root.get("services"), "services").entrySet()) {
            Map<String, Object> definition = map(e.getValue(), "services." + e.getKey());
            if (active(e.getKey(), definition)) {
                services.put(e.getKey(), service(e.getKey(), definition));
            }
        }
        List<String> networks = new ArrayList<>(root.get("networks") == null ? List.of() : map(root.get("networks"), "networks").keySet());
        List<String> volumes = new ArrayList<>(root.get("volumes") == null ? List.of() : map(root.get("volumes"), "volumes").keySet());
        return new ComposeFile(file.toAbsolutePath(), project, services, networks, volumes);
    }

    /**
     * Whether compose starts the service: one without {@code profiles:} always; one with profiles only
     * when one of them is enabled in {@code COMPOSE_PROFILES} (comma-separated, {@code *} for all), as
     * {@code docker compose} reads it. A service that does not start is left out of the model.
     */
    private boolean active(String service, Map<String, Object> definition) {
        if (definition.get("profiles") == null) {
            return true;
        }
        List<String> profiles = stringList(definition.get("profiles"), service + ".profiles");
        List<String> enabled = List.of(env.getOrDefault("COMPOSE_PROFILES", "").split(",")).stream().map(String::trim)
                .filter(p -> !p.isEmpty()).toList();
        return enabled.contains("*") || profiles.stream().anyMatch(enabled::contains);
    }

    /** Compose's project name: lower case letters, digits, dashes and underscores. */
    static String normaliseProject(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
    }

    private String display() {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    private ComposeFile.Service service(String name, Map<String, Object> s) {
        String at = where.locate("services", name);
        for (String key : s.keySet()) {
            java.util.Optional<String> misplaced = ComposeSchema.misplacedServiceKey(name, key, s.get(key));
            if (misplaced.isPresent()) {
                throw new ComposeException(where.locate("services", name, key) + ": service " + name + ": " + misplaced.get());
            }
            if (!SUPPORTED.contains(key) && !key.startsWith("x-")) {
                throw new ComposeException(where.locate("services", name, key) + ": service " + name + ": key \"" + key
                        + "\" is not supported by the simulated topology: run this lab with --docker");
            }
        }
        for (String section : List.of("deploy", "healthcheck")) {
            if (s.get(section) instanceof Map<?, ?> inner) {
                for (Object key : inner.keySet()) {
                    java.util.Optional<String> misplaced = ComposeSchema.misplacedKey(name, section, String.valueOf(key));
                    if (misplaced.isPresent()) {
                        throw new ComposeException(where.locate("services", name, section, String.valueOf(key)) + ": service "
                                + name + ": " + misplaced.get());
                    }
                }
            }
        }
        String image = s.get("image") == null ? null : interpolate(String.valueOf(s.get("image")), name + ".image");
        ComposeFile.Build build = build(name, s.get("build"));
        if (image == null && build == null) {
            throw new ComposeException(at + ": service " + name + " has neither image nor build");
        }
        List<String> command = command(name, s.get("command"));
        Map<String, String> environment = new LinkedHashMap<>();
        if (s.get("env_file") != null) {
            for (String f : stringList(s.get("env_file"), name + ".env_file")) {
                environment.putAll(dotEnv(file.toAbsolutePath().getParent().resolve(f)));
            }
        }
        environment.putAll(keyValues(s.get("environment"), name, "environment"));
        int replicas = 1;
        if (s.get("deploy") instanceof Map<?, ?> deploy && deploy.get("replicas") != null) {
            replicas = integer(deploy.get("replicas"), name + ".deploy.replicas");
        } else if (s.get("scale") != null) {
            replicas = integer(s.get("scale"), name + ".scale");
        }
        return new ComposeFile.Service(name, image, build, command, environment, ports(name, s.get("ports")),
                s.get("expose") == null ? List.of() : stringList(s.get("expose"), name + ".expose").stream()
                        .map(p -> integer(p.replace("/tcp", ""), name + ".expose")).toList(),
                keyValues(s.get("labels"), name, "labels"), replicas, networks(name, s.get("networks")),
                dependsOn(name, s.get("depends_on")), healthcheck(name, s.get("healthcheck")), volumes(name, s.get("volumes")),
                s.get("container_name") == null ? null : String.valueOf(s.get("container_name")), at);
    }

    private ComposeFile.Build build(String service, Object value) {
        if (value == null) {
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        if (value instanceof String context) {
            return new ComposeFile.Build(dir.resolve(interpolate(context, service + ".build")).normalize(), "Dockerfile", Map.of());
        }
        Map<String, Object> b = map(value, service + ".build");
        String context = b.get("context") == null ? "." : interpolate(String.valueOf(b.get("context")), service + ".build.context");
        String dockerfile = b.get("dockerfile") == null ? "Dockerfile" : interpolate(String.valueOf(b.get("dockerfile")), service + ".build.dockerfile");
        return new ComposeFile.Build(dir.resolve(context).normalize(), dockerfile, keyValues(b.get("args"), service, "build.args"));
    }

    private List<String> command(String service, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            List<String> parts = new ArrayList<>();
            Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(interpolate(s, service + ".command"));
            while (m.find()) {
                parts.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
            }
            return parts;
        }
        return stringList(value, service + ".command");
    }

    private Map<String, String> keyValues(Object value, String service, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                String s = interpolate(String.valueOf(item), service + "." + key);
                int eq = s.indexOf('=');
                if (eq < 0) {
                    out.put(s, env.getOrDefault(s, ""));
                } else {
                    out.put(s.substring(0, eq), s.substring(eq + 1));
                }
            }
            return out;
        }
        for (Map.Entry<String, Object> e : map(value, service + "." + key).entrySet()) {
            out.put(e.getKey(), e.getValue() == null ? env.getOrDefault(e.getKey(), "")
                    : interpolate(String.valueOf(e.getValue()), service + "." + key + "." + e.getKey()));
        }
        return out;
    }

    private List<ComposeFile.Port> ports(String service, Object value) {
        List<ComposeFile.Port> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (Object item : (List<?>) value) {
            if (item instanceof Map<?, ?> m) {
                out.add(new ComposeFile.Port(m.get("host_ip") == null ? null : String.valueOf(m.get("host_ip")),
                        m.get("published") == null ? 0 : integer(m.get("published"), service + ".ports.published"),
                        integer(m.get("target"), service + ".ports.target")));
                continue;
            }
            String spec = interpolate(String.valueOf(item), service + ".ports").replace("/tcp", "");
            if (spec.endsWith("/udp")) {
                throw new ComposeException(where.locate("services", service, "ports") + ": service " + service
                        + ": UDP port " + spec + " is not supported by the simulated topology: run this lab with --docker");
            }
            String[] parts = spec.split(":");
            try {
                switch (parts.length) {
                    case 1 -> out.add(new ComposeFile.Port(null, 0, Integer.parseInt(parts[0])));
                    case 2 -> out.add(new ComposeFile.Port(null, Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
                    case 3 -> out.add(new ComposeFile.Port(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
                    default -> throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new ComposeException(where.locate("services", service, "ports") + ": service " + service
                        + ": port \"" + spec + "\" is not HOST:CONTAINER, e.g. \"80:80\" (port ranges are not supported)");
            }
        }
        return out;
    }

    private List<String> networks(String service, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).toList();
        }
        return stringList(value, service + ".networks");
    }

    private Map<String, String> dependsOn(String service, Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof List<?> list) {
            list.forEach(v -> out.put(String.valueOf(v), "service_started"));
            return out;
        }
        for (Map.Entry<String, Object> e : map(value, service + ".depends_on").entrySet()) {
            Object condition = e.getValue() instanceof Map<?, ?> m ? m.get("condition") : null;
            out.put(e.getKey(), condition == null ? "service_started" : String.valueOf(condition));
        }
        return out;
    }

    private ComposeFile.HealthCheck healthcheck(String service, Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> h = map(value, service + ".healthcheck");
        if (Boolean.TRUE.equals(h.get("disable"))) {
            return new ComposeFile.HealthCheck(List.of(), Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, true);
        }
        List<String> test = h.get("test") instanceof String s ? List.of("CMD-SHELL", s) : stringList(h.get("test"), service + ".healthcheck.test");
        return new ComposeFile.HealthCheck(test, duration(h.get("interval"), Duration.ofSeconds(30)),
                duration(h.get("timeout"), Duration.ofSeconds(30)),
                h.get("retries") == null ? 3 : integer(h.get("retries"), service + ".healthcheck.retries"),
                duration(h.get("start_period"), Duration.ZERO), false);
    }

    private List<ComposeFile.Volume> volumes(String service, Object value) {
        List<ComposeFile.Volume> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (Object item : (List<?>) value) {
            if (item instanceof Map<?, ?> m) {
                String source = String.valueOf(m.get("source"));
                out.add(new ComposeFile.Volume(source, String.valueOf(m.get("target")), Boolean.TRUE.equals(m.get("read_only")),
                        "volume".equals(m.get("type"))));
                continue;
            }
            String[] parts = interpolate(String.valueOf(item), service + ".volumes").split(":");
            String source = parts[0];
            String target = parts.length > 1 ? parts[1] : parts[0];
            boolean ro = parts.length > 2 && parts[2].contains("ro");
            boolean named = !(source.startsWith("/") || source.startsWith(".") || source.startsWith("~"));
            out.add(new ComposeFile.Volume(source, target, ro, named));
        }
        return out;
    }

    private Duration duration(Object value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Durations.parse(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new ComposeException(display() + ": " + e.getMessage());
        }
    }

    private int integer(Object value, String key) {
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(interpolate(String.valueOf(value), key).trim());
        } catch (NumberFormatException e) {
            throw new ComposeException(display() + ": " + key + ": \"" + value + "\" is not a number");
        }
    }

    private List<String> stringList(Object value, String key) {
        if (value instanceof List<?> list) {
            return list.stream().map(v -> interpolate(String.valueOf(v), key)).toList();
        }
        return List.of(interpolate(String.valueOf(value), key));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object value, String key) {
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map)) {
            throw new ComposeException(display() + ": " + key + " should be a mapping of names to settings");
        }
        return (Map<String, Object>) value;
    }

    /** Compose's interpolation: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code ${VAR:?err}}, {@code $$}. */
    String interpolate(String text, String key) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String name = m.group(1) != null ? m.group(1) : m.group(4);
                String op = m.group(2);
                String arg = m.group(3);
                String value = env.get(name);
                if (op == null) {
                    replacement = value == null ? "" : value;
                } else if (op.equals(":-")) {
                    replacement = value == null || value.isEmpty() ? arg : value;
                } else if (op.equals("-")) {
                    replacement = value == null ? arg : value;
                } else {
                    if (value == null || (op.equals(":?") && value.isEmpty())) {
                        throw new ComposeException(display() + ": " + key + ": variable " + name + " is required: " + arg);
                    }
                    replacement = value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}

package dev.switchboard.proxy.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the static configuration from Traefik's command-line flags ({@code --entrypoints.web.address=:80},
 * bare {@code --providers.docker} meaning true) and an optional {@code --configFile} with the same
 * keys in YAML or TOML. Flags override the file (Traefik uses only the file when one is given;
 * Switchboard merges so that no flag is ignored silently). Every flag must be known: a misspelt one
 * stops start-up with the closest known flag, a Traefik flag Switchboard does not build with what to
 * do instead.
 */
public final class StaticConfigLoader {

    /** Traefik static options that Switchboard does not build, by dotted prefix (lower case). */
    private static final Map<String, String> UNSUPPORTED = unsupported();

    private StaticConfigLoader() {
    }

    private static Map<String, String> unsupported() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("certificatesresolvers", "ACME certificate resolvers are not supported: give certificates in the dynamic tls section");
        m.put("tracing", "Switchboard has no tracing: remove the flag");
        m.put("experimental", "Traefik's experimental features are not part of Switchboard: remove the flag");
        m.put("hub", "Traefik Hub is not part of Switchboard: remove the flag");
        m.put("pilot", "Traefik Pilot is not part of Switchboard: remove the flag");
        m.put("hostresolver", "CNAME flattening is not supported: remove the flag");
        m.put("spiffe", "SPIFFE is not supported: remove the flag");
        m.put("ocsp", "OCSP stapling is not supported: remove the flag");
        m.put("core", "Traefik's core options are not supported: remove the flag");
        m.put("tcpserverstransport", "Switchboard routes HTTP only: remove the flag");
        m.put("metrics.datadog", "only Prometheus metrics are supported: use --metrics.prometheus");
        m.put("metrics.influxdb2", "only Prometheus metrics are supported: use --metrics.prometheus");
        m.put("metrics.statsd", "only Prometheus metrics are supported: use --metrics.prometheus");
        m.put("metrics.otlp", "only Prometheus metrics are supported: use --metrics.prometheus");
        for (String p : List.of("kubernetescrd", "kubernetesingress", "kubernetesgateway", "consul", "consulcatalog",
                "etcd", "redis", "zookeeper", "http", "swarm", "ecs", "nomad", "rest", "plugin", "knative",
                "kubernetesingressnginx")) {
            m.put("providers." + p, "Switchboard has the file and Docker providers only: use --providers.file or --providers.docker");
        }
        return m;
    }

    /** Static options of features still being built, by dotted prefix; removed as they land. */
    private static final Map<String, String> NOT_BUILT_YET = Map.of(
            "providers.docker", "the Docker provider",
            "metrics", "Prometheus metrics");

    /**
     * Parses the arguments of {@code switchboard-proxy}. {@link ConfigException} names the flag and
     * the fix.
     */
    public static StaticConfig load(List<String> args) {
        Map<String, Object> flags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String configFile = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new ConfigException("unexpected argument \"" + arg + "\": every option is a flag such as "
                        + "--entrypoints.web.address=:80");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            String key;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                key = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                key = body;
                value = args.get(++i);
            } else {
                key = body;
                value = "true";
            }
            if (key.isEmpty()) {
                throw new ConfigException("flag \"" + arg + "\" has no name");
            }
            if (key.equalsIgnoreCase("configFile")) {
                configFile = value;
                continue;
            }
            put(flags, splitKey(key), value, arg);
        }
        checkSupported(flags, new ArrayList<>(), true);

        Map<String, Object> tree = flags;
        if (configFile != null) {
            Path file = Path.of(configFile);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("--configFile=" + configFile + ": no such file");
            }
            // Read once on its own so that errors in the file name its line.
            ConfigMapper.readFile(file, StaticConfig.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> fromFile = ConfigMapper.readFile(file, Map.class);
            Map<String, Object> merged = caseInsensitiveCopy(fromFile);
            checkSupported(merged, new ArrayList<>(), false);
            mergeInto(merged, flags);
            tree = merged;
        }
        StaticConfig config = ConfigMapper.fromTree(tree, StaticConfig.class, "flag", path -> "--" + String.join(".", path));
        validate(config);
        return config.withEffectiveDefaults();
    }

    private static List<String> splitKey(String key) {
        List<String> parts = new ArrayList<>();
        for (String part : key.split("\\.", -1)) {
            if (part.isEmpty()) {
                throw new ConfigException("flag --" + key + " has an empty part between dots");
            }
            parts.add(part);
        }
        return parts;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, List<String> path, String value, String arg) {
        Map<String, Object> node = tree;
        for (int i = 0; i < path.size() - 1; i++) {
            Object child = node.get(path.get(i));
            if (!(child instanceof Map)) {
                if (child != null && !"true".equalsIgnoreCase((String) child)) {
                    throw new ConfigException("flag " + arg + " conflicts with --" + String.join(".", path.subList(0, i + 1))
                            + "=" + child);
                }
                child = new TreeMap<String, Object>(String.CASE_INSENSITIVE_ORDER);
                node.put(path.get(i), child);
            }
            node = (Map<String, Object>) child;
        }
        String leaf = path.get(path.size() - 1);
        Object existing = node.get(leaf);
        if (existing instanceof Map) {
            if (!"true".equalsIgnoreCase(value)) {
                throw new ConfigException("flag " + arg + " conflicts with the --" + String.join(".", path) + ".* flags");
            }
            return; // "--providers.docker" next to "--providers.docker.network=x": the section is on.
        }
        node.put(leaf, value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> caseInsensitiveCopy(Map<String, Object> map) {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (map == null) {
            return copy;
        }
        map.forEach((k, v) -> copy.put(k, v instanceof Map ? caseInsensitiveCopy((Map<String, Object>) v) : v));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> base, Map<String, Object> over) {
        over.forEach((k, v) -> {
            Object b = base.get(k);
            if (b instanceof Map && v instanceof Map) {
                mergeInto((Map<String, Object>) b, (Map<String, Object>) v);
            } else if (b instanceof Map && "true".equals(v)) {
                // keep the file's section; the flag only switched it on
            } else {
                base.put(k, v);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static void checkSupported(Map<String, Object> tree, List<String> path, boolean flags) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            path.add(e.getKey());
            String dotted = String.join(".", path).toLowerCase(Locale.ROOT);
            String where = flags ? "flag --" + String.join(".", path) : "static configuration key " + String.join(".", path);
            String reason = UNSUPPORTED.get(dotted);
            if (reason != null) {
                throw new ConfigException(where + " is a Traefik option that Switchboard does not support: " + reason);
            }
            String feature = NOT_BUILT_YET.get(dotted);
            if (feature != null) {
                throw new ConfigException(where + ": " + feature + " is not built into this Switchboard yet: remove it");
            }
            if (path.size() == 3 && path.get(0).equalsIgnoreCase("entrypoints")
                    && List.of("udp", "proxyprotocol", "http3").contains(e.getKey().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(where + ": Switchboard entry points speak HTTP over TCP only: remove it");
            }
            if (e.getValue() instanceof Map) {
                checkSupported((Map<String, Object>) e.getValue(), path, flags);
            }
            path.remove(path.size() - 1);
        }
    }

    private static void validateHttp(StaticConfig config, String name, StaticConfig.EntryPointHttp http) {
        String flag = "--entrypoints." + name + ".http";
        if (http.tls() != null && http.tls().certResolver() != null && !http.tls().certResolver().isBlank()) {
            throw new ConfigException(flag + ".tls.certresolver: ACME certificate resolvers are not supported: "
                    + "give certificates in the dynamic tls section (tls.certificates)");
        }
        if (http.redirections() == null || http.redirections().entryPoint() == null) {
            return;
        }
        String to = http.redirections().entryPoint().to();
        if (to == null || to.isBlank()) {
            throw new ConfigException(flag + ".redirections.entrypoint.to is missing: name the entry point to send "
                    + "requests to, such as websecure");
        }
        if (!to.matches(":\\d+") && !config.entryPoints().containsKey(to)) {
            throw new ConfigException(flag + ".redirections.entrypoint.to=" + to + " is not an entry point (entry points: "
                    + String.join(", ", config.entryPoints().keySet()) + ") nor a port such as :443");
        }
    }

    private static void validate(StaticConfig config) {
        config.entryPoints().forEach((name, ep) -> {
            if (ep.address() == null || ep.address().isBlank()) {
                throw new ConfigException("entry point \"" + name + "\" has no address: add --entrypoints." + name
                        + ".address=:80");
            }
            ListenAddress.parse(ep.address(), "--entrypoints." + name + ".address");
            validateHttp(config, name, ep.http());
        });
        String level = config.log().level().toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "PANIC").contains(level)) {
            throw new ConfigException("--log.level=" + config.log().level()
                    + " is not a level: use one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, PANIC");
        }
        if (!List.of("common", "json").contains(config.log().format().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("--log.format=" + config.log().format() + ": use common or json");
        }
        if (config.accessLog() != null && !List.of("common", "genericclf", "json")
                .contains(config.accessLog().format().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("--accesslog.format=" + config.accessLog().format() + ": use common, genericCLF or json");
        }
        StaticConfig.Providers p = config.providers();
        if (p.file() != null) {
            boolean hasFile = p.file().filename() != null && !p.file().filename().isBlank();
            boolean hasDir = p.file().directory() != null && !p.file().directory().isBlank();
            if (hasFile == hasDir) {
                throw new ConfigException("--providers.file needs exactly one of --providers.file.filename=FILE "
                        + "or --providers.file.directory=DIR");
            }
        }
    }
}

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
        m.put("providers.docker.tls", "Switchboard talks to the Docker engine over its unix socket or plain tcp://: "
                + "mount /var/run/docker.sock, or use a socket proxy on a trusted network");
        m.put("providers.swarm", "Swarm mode is not supported: run the services with docker compose and use --providers.docker");
        m.put("metrics.datadog", "only Prometheus metrics are supported: use --metrics.prometheus");
        m.put("metrics.influxdb2", "only Prometheus metrics are supported: use --metrics.prometheus");
        m.put("metrics.statsd", "only Prometheus metrics are supported: use --metrics.prometheus");
        m.put("metrics.otlp", "only Prometheus metrics are supported: use --metrics.prometheus");
        for (String p : List.of("kubernetescrd", "kubernetesingress", "kubernetesgateway", "consul", "consulcatalog",
                "etcd", "redis", "zookeeper", "http", "ecs", "nomad", "rest", "plugin", "knative",
                "kubernetesingressnginx")) {
            m.put("providers." + p, "Switchboard has the file and Docker providers only: use --providers.file or --providers.docker");
        }
        return m;
    }


    /**
     * Parses the arguments of {@code switchboard-proxy}. {@link ConfigException} names the flag and
     * the fix.
     */
    public static StaticConfig load(List<String> args) {
        return load(args, System.getenv(Behaviour.PROFILE_ENV));
    }

    /**
     * As {@link #load(List)}, with {@code environmentProfile} standing for the environment variable
     * {@code SWITCHBOARD_PROFILE} (null: unset), which chooses the profile when no
     * {@code --switchboard.profile} is given.
     */
    public static StaticConfig load(List<String> args, String environmentProfile) {
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
        // Options Traefik v3.2 does not know are warned about under the traefik profile only.
        OptionOrigins.warnLaterOptions(!switchboardProfile(flags, environmentProfile));
        OptionOrigins.checkTree("static:", flags, path -> "flag --" + String.join(".", path));

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
            String fileName = configFile;
            if (profileOf(flags) == null) {
                OptionOrigins.warnLaterOptions(!switchboardProfile(merged, environmentProfile));
            }
            OptionOrigins.checkTree("static:", merged, path -> fileName + ": " + String.join(".", path));
            mergeInto(merged, flags);
            tree = merged;
        }
        StaticConfig config = ConfigMapper.fromTree(tree, StaticConfig.class, "flag", path -> "--" + String.join(".", path));
        config = withProfile(config, environmentProfile);
        validate(config);
        StaticConfigCheck.runAll(config);
        StaticConfig effective = config.withEffectiveDefaults();
        validateInternalEntryPoints(effective);
        return effective;
    }

    /** The {@code switchboard.profile} of a flags or file tree, or null. */
    private static String profileOf(Map<String, Object> tree) {
        return tree.get("switchboard") instanceof Map<?, ?> section && section.get(Behaviour.PROFILE_OPTION) != null
                ? String.valueOf(section.get(Behaviour.PROFILE_OPTION)) : null;
    }

    /** Whether {@code tree} or else the environment choose the switchboard profile (before anything is validated). */
    private static boolean switchboardProfile(Map<String, Object> tree, String environmentProfile) {
        String profile = profileOf(tree);
        if (profile == null) {
            profile = environmentProfile;
        }
        return profile != null && profile.trim().equalsIgnoreCase(Behaviour.Profile.SWITCHBOARD.id());
    }

    /**
     * The configuration with its profile written into the {@code switchboard} section, from
     * {@code --switchboard.profile} or else {@code SWITCHBOARD_PROFILE} (default traefik), so that
     * {@link StaticConfig#behaviour()} needs nothing else; bad values are reported here.
     */
    private static StaticConfig withProfile(StaticConfig config, String environmentProfile) {
        Behaviour behaviour = Behaviour.of(config.switchboard(), environmentProfile);
        Map<String, String> section = new LinkedHashMap<>();
        config.switchboard().forEach((k, v) -> {
            if (!k.equalsIgnoreCase(Behaviour.PROFILE_OPTION)) {
                section.put(k, v);
            }
        });
        section.put(Behaviour.PROFILE_OPTION, behaviour.profile().id());
        return new StaticConfig(config.entryPoints(), config.providers(), config.api(), config.ping(), config.log(),
                config.accessLog(), config.serversTransport(), config.global(), config.metrics(), section);
    }

    /** Traefik's {@code validBasePath}: a path of safe characters starting with a slash. */
    private static final java.util.regex.Pattern BASE_PATH = java.util.regex.Pattern.compile("^/[a-zA-Z0-9/_.:~-]*$");
    /** Prometheus label names ({@code [a-zA-Z_][a-zA-Z0-9_]*}), for {@code headerLabels}. */
    private static final java.util.regex.Pattern LABEL_NAME = java.util.regex.Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static final java.util.Set<String> RESERVED_LABELS = java.util.Set.of("code", "method", "protocol",
            "entrypoint", "router", "service", "url");

    /** The API, ping and metrics must land on an entry point that exists (unless routed by hand). */
    private static void validateInternalEntryPoints(StaticConfig config) {
        StaticConfig.Prometheus prometheus = config.prometheus();
        if (prometheus != null && !prometheus.manualRouting() && !config.entryPoints().containsKey(prometheus.entryPoint())) {
            throw new ConfigException("--metrics.prometheus.entryPoint=" + prometheus.entryPoint()
                    + ": there is no entry point of that name (entry points: " + String.join(", ", config.entryPoints().keySet())
                    + "); define it with --entrypoints." + prometheus.entryPoint() + ".address=:8082");
        }
        StaticConfig.Ping ping = config.ping();
        if (ping != null && !ping.manualRouting() && !config.entryPoints().containsKey(ping.entryPoint())) {
            throw new ConfigException("--ping.entryPoint=" + ping.entryPoint() + ": there is no entry point of that name (entry points: "
                    + String.join(", ", config.entryPoints().keySet()) + ")");
        }
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
        if (config.api() != null && !BASE_PATH.matcher(config.api().basePath()).matches()) {
            throw new ConfigException("--api.basePath=" + config.api().basePath()
                    + ": write a path that starts with / and uses letters, digits and / _ . : ~ - only");
        }
        StaticConfig.Prometheus prometheus = config.prometheus();
        if (prometheus != null) {
            double previous = 0;
            for (Double bucket : prometheus.buckets()) {
                if (bucket == null || !(bucket > previous) || bucket.isInfinite()) {
                    throw new ConfigException("--metrics.prometheus.buckets=" + prometheus.buckets()
                            + ": write positive upper bounds in seconds, in increasing order, such as 0.1,0.3,1.2,5");
                }
                previous = bucket;
            }
            prometheus.headerLabels().forEach((label, header) -> {
                if (!LABEL_NAME.matcher(label).matches() || RESERVED_LABELS.contains(label)) {
                    throw new ConfigException("--metrics.prometheus.headerLabels." + label + ": \"" + label
                            + "\" cannot be a label name: use letters, digits and _, and none of "
                            + String.join(", ", new java.util.TreeSet<>(RESERVED_LABELS)));
                }
                if (header == null || header.isBlank()) {
                    throw new ConfigException("--metrics.prometheus.headerLabels." + label + " needs the name of a request header");
                }
            });
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

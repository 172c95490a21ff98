package dev.switchboard.lab.compose;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Where compose's own schema (the compose-spec JSON schema docker compose validates every file with)
 * allows each key, so that a key in the wrong place gets compose's verdict and the place it belongs
 * ({@code replicas: 4} under a service instead of under {@code deploy:}), not a message about what
 * the simulation supports. Keys the schema allows but the simulation does not run are a different
 * matter, said by {@link ComposeParser}.
 */
public final class ComposeSchema {
    /** The top-level keys of a compose file. */
    static final Set<String> TOP_LEVEL = Set.of("version", "name", "include", "services", "networks", "volumes", "configs",
            "secrets", "models");

    /** Every key compose-spec allows on a service. */
    static final Set<String> SERVICE = Set.of("annotations", "attach", "build", "blkio_config", "cap_add", "cap_drop", "cgroup",
            "cgroup_parent", "command", "configs", "container_name", "cpu_count", "cpu_percent", "cpu_shares", "cpu_quota",
            "cpu_period", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
            "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file", "environment",
            "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init",
            "ipc", "isolation", "labels", "label_file", "links", "logging", "mac_address", "mem_limit", "mem_reservation",
            "mem_swappiness", "memswap_limit", "models", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid",
            "pids_limit", "platform", "ports", "post_start", "pre_stop", "privileged", "profiles", "provider", "pull_policy",
            "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period",
            "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts",
            "volumes", "volumes_from", "working_dir");

    /** Keys of {@code deploy:}. */
    static final Set<String> DEPLOY = Set.of("endpoint_mode", "labels", "mode", "placement", "replicas", "resources",
            "restart_policy", "rollback_config", "update_config");

    /** Keys of {@code healthcheck:}. */
    static final Set<String> HEALTHCHECK = Set.of("disable", "interval", "retries", "test", "timeout", "start_period",
            "start_interval");

    /** Keys that belong one level down, under a service key: where, and how it is written there. */
    private static final Map<String, String[]> ONE_LEVEL_DOWN = Map.ofEntries(
            Map.entry("replicas", new String[] {"deploy", "deploy:\n  replicas: %s"}),
            Map.entry("resources", new String[] {"deploy", "deploy:\n  resources: ..."}),
            Map.entry("restart_policy", new String[] {"deploy", "deploy:\n  restart_policy: ..."}),
            Map.entry("placement", new String[] {"deploy", "deploy:\n  placement: ..."}),
            Map.entry("update_config", new String[] {"deploy", "deploy:\n  update_config: ..."}),
            Map.entry("mode", new String[] {"deploy", "deploy:\n  mode: %s"}),
            Map.entry("test", new String[] {"healthcheck", "healthcheck:\n  test: %s"}),
            Map.entry("interval", new String[] {"healthcheck", "healthcheck:\n  interval: %s"}),
            Map.entry("timeout", new String[] {"healthcheck", "healthcheck:\n  timeout: %s"}),
            Map.entry("retries", new String[] {"healthcheck", "healthcheck:\n  retries: %s"}),
            Map.entry("start_period", new String[] {"healthcheck", "healthcheck:\n  start_period: %s"}),
            Map.entry("context", new String[] {"build", "build:\n  context: %s"}),
            Map.entry("dockerfile", new String[] {"build", "build:\n  dockerfile: %s"}),
            Map.entry("args", new String[] {"build", "build:\n  args: ..."}),
            Map.entry("condition", new String[] {"depends_on", "depends_on:\n  <service>:\n    condition: %s"}),
            Map.entry("aliases", new String[] {"networks", "networks:\n  <network>:\n    aliases: ..."}),
            Map.entry("ipv4_address", new String[] {"networks", "networks:\n  <network>:\n    ipv4_address: %s"}),
            Map.entry("published", new String[] {"ports", "ports:\n  - target: <container port>\n    published: %s"}),
            Map.entry("target", new String[] {"ports", "ports:\n  - target: %s\n    published: <host port>"}),
            Map.entry("driver", new String[] {"logging", "logging:\n  driver: %s (or, for a network, under the top-level networks:)"}));

    private ComposeSchema() {
    }

    /**
     * Compose's verdict on a key of service {@code service} that the schema does not allow there, with
     * where it belongs; empty for a key the schema allows.
     */
    public static Optional<String> misplacedServiceKey(String service, String key, Object value) {
        if (SERVICE.contains(key) || key.startsWith("x-")) {
            return Optional.empty();
        }
        StringBuilder m = new StringBuilder("\"" + key + "\" is not a property of a service, so compose itself rejects this file ("
                + "docker compose says: services." + service + " additional properties '" + key + "' not allowed)");
        String[] down = ONE_LEVEL_DOWN.get(key);
        if (down != null) {
            m.append(". It belongs under ").append(down[0]).append(":, written\n")
                    .append(indent(service + ":\n" + indent(down[1].formatted(value == null ? "..." : render(value)))));
        } else {
            closest(key, SERVICE).ifPresent(k -> m.append(". Did you mean ").append(k).append("?"));
        }
        return Optional.of(m.toString());
    }

    /** Compose's verdict on a key of {@code deploy:} or {@code healthcheck:} ({@code section}) the schema does not allow. */
    public static Optional<String> misplacedKey(String service, String section, String key) {
        Set<String> allowed = section.equals("deploy") ? DEPLOY : section.equals("healthcheck") ? HEALTHCHECK : null;
        if (allowed == null || allowed.contains(key) || key.startsWith("x-")) {
            return Optional.empty();
        }
        return Optional.of("\"" + key + "\" is not a property of " + section + ":, so compose itself rejects this file (docker "
                + "compose says: services." + service + "." + section + " additional properties '" + key + "' not allowed)"
                + closest(key, allowed).map(k -> ". Did you mean " + k + "?").orElse(". It allows " + String.join(", ",
                        allowed.stream().sorted().toList())));
    }

    /** Compose's verdict on a top-level key the schema does not allow. */
    public static Optional<String> misplacedTopLevelKey(String key) {
        if (TOP_LEVEL.contains(key) || key.startsWith("x-")) {
            return Optional.empty();
        }
        String hint = SERVICE.contains(key) ? ". It is a property of a service: indent it under the service, under services:"
                : closest(key, TOP_LEVEL).map(k -> ". Did you mean " + k + "?")
                        .orElse(". If \"" + key + "\" is a service, indent it under services:");
        return Optional.of("\"" + key + "\" is not a top-level key of a compose file, so compose itself rejects it (docker compose "
                + "says: additional properties '" + key + "' not allowed)" + hint);
    }

    private static String render(Object value) {
        return value instanceof List<?> || value instanceof Map<?, ?> ? "..." : String.valueOf(value);
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }

    /** The allowed key a typo most likely meant: two edits away at most. */
    static Optional<String> closest(String key, Set<String> allowed) {
        String k = key.toLowerCase(Locale.ROOT);
        LevenshteinDistance distance = new LevenshteinDistance(2);
        return allowed.stream().filter(a -> distance.apply(k, a) >= 0).min(Comparator.comparingInt(a -> distance.apply(k, a)));
    }
}

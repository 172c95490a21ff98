package dev.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.StaticConfigLoader;
import dev.switchboard.proxy.provider.docker.LabelParser;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks compose examples: {@code labels:} lists with the Docker provider's own label parser (every
 * rule in them with the rule parser), {@code command:} lists with the proxy's flag parser, and
 * service fragments ({@code reverse-proxy: {command: ..., labels: ...}}) by their parts.
 */
final class LabelSnippets {
    private LabelSnippets() {
    }

    static void check(Snippets.Snippet snippet, Object labels) {
        assertTrue(labels instanceof List<?> l && !l.isEmpty() || labels instanceof Map<?, ?> m && !m.isEmpty(),
                snippet + ": labels should be a list of key=value (or a map)");
        Map<String, String> map = new LinkedHashMap<>();
        if (labels instanceof List<?> list) {
            for (Object label : list) {
                String s = String.valueOf(label);
                int eq = s.indexOf('=');
                assertTrue(eq > 0, snippet + ": " + s + " is not key=value");
                map.put(s.substring(0, eq), s.substring(eq + 1));
            }
        } else {
            ((Map<?, ?>) labels).forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
        }
        LabelParser.Parsed parsed = LabelParser.parse(map, "app1");
        assertTrue(parsed.errors().isEmpty(), () -> snippet + ": labels the Docker provider rejects: " + parsed.errors());
        parsed.http().routers().forEach((name, router) -> {
            if (router.rule() != null) {
                try {
                    RuleParser.parse(router.rule());
                } catch (RuleException e) {
                    fail(snippet + ": router " + name + ": " + e.getMessage());
                }
            }
        });
    }

    static void command(Snippets.Snippet snippet, Object command) {
        assertTrue(command instanceof List<?>, snippet + ": command: should be a list of flags");
        List<String> flags = ((List<?>) command).stream().map(String::valueOf).toList();
        try {
            StaticConfigLoader.load(flags);
        } catch (ConfigException e) {
            fail(snippet + ": the proxy rejects these flags: " + e.getMessage());
        }
    }

    /** A compose service definition (or several, keyed by service name): its command and labels. */
    static void services(Snippets.Snippet snippet, Map<?, ?> services) {
        services.forEach((name, def) -> {
            assertTrue(def instanceof Map<?, ?>, snippet + ": service " + name + " should be a mapping");
            Map<?, ?> service = (Map<?, ?>) def;
            if (service.get("labels") != null) {
                check(snippet, service.get("labels"));
            }
            Object cmd = service.get("command");
            if (cmd instanceof List<?> l && l.stream().anyMatch(f -> String.valueOf(f).startsWith("--"))) {
                command(snippet, cmd);
            }
        });
    }

    /** Whether every value is a mapping with compose service keys: a fragment of a compose file's services. */
    static boolean looksLikeServices(Map<?, ?> tree) {
        List<String> keys = List.of("image", "build", "command", "labels", "ports", "environment", "deploy", "networks",
                "depends_on", "volumes", "healthcheck");
        return !tree.isEmpty() && tree.values().stream()
                .allMatch(v -> v instanceof Map<?, ?> m && m.keySet().stream().anyMatch(k -> keys.contains(String.valueOf(k))));
    }
}

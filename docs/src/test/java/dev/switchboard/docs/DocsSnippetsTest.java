package dev.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.proxy.config.Behaviour;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML and TOML example in the docs parses with the proxy's own parsers, every rule in a table
 * cell parses, and every flag list is accepted by the proxy's flag parser. An example the test
 * cannot classify fails, so none goes unchecked.
 */
class DocsSnippetsTest {
    private static final Set<String> STATIC_KEYS = Set.of("entrypoints", "providers", "api", "ping", "log", "accesslog",
            "serverstransport", "global", "metrics", "switchboard");

    static Stream<Snippets.Snippet> yaml() {
        return Snippets.all().stream().filter(s -> s.language().equals("yaml") || s.language().equals("yml"));
    }

    static Stream<Snippets.Snippet> toml() {
        return Snippets.all().stream().filter(s -> s.language().equals("toml"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yaml")
    void yamlExamplesParse(Snippets.Snippet snippet) {
        Map<?, ?> tree;
        try {
            tree = ConfigMapper.readString(snippet.code(), ConfigMapper.Format.YAML, snippet.toString(), Map.class);
        } catch (ConfigException e) {
            fail(snippet + " is not valid YAML: " + e.getMessage());
            return;
        }
        assertFalse(tree.isEmpty(), snippet + " is empty");
        if (snippet.expectsMistake()) {
            return; // valid YAML showing a mistake on purpose; its warning is checked by DockerDocsTest
        }
        check(snippet, tree, ConfigMapper.Format.YAML);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toml")
    void tomlExamplesParse(Snippets.Snippet snippet) {
        Map<?, ?> tree = ConfigMapper.readString(snippet.code(), ConfigMapper.Format.TOML, snippet.toString(), Map.class);
        check(snippet, tree, ConfigMapper.Format.TOML);
    }

    private static void check(Snippets.Snippet snippet, Map<?, ?> tree, ConfigMapper.Format format) {
        Set<String> keys = tree.keySet().stream().map(k -> String.valueOf(k).toLowerCase()).collect(java.util.stream.Collectors.toSet());
        try {
            if (keys.contains("http") || keys.contains("tls")) {
                DynamicConfig dc = ConfigMapper.readString(snippet.code(), format, snippet.toString(), DynamicConfig.class);
                for (var r : dc.http().routers().values()) {
                    RuleParser.parse(r.rule());
                }
            } else if (STATIC_KEYS.containsAll(keys)) {
                StaticConfig config = ConfigMapper.readString(snippet.code(), format, snippet.toString(), StaticConfig.class);
                Behaviour.of(config.switchboard(), null); // the profile and improvement options

            } else if (keys.equals(Set.of("command"))) {
                LabelSnippets.command(snippet, tree.get("command"));
            } else if (keys.equals(Set.of("labels"))) {
                LabelSnippets.check(snippet, tree.get("labels"));
            } else if (keys.contains("services") && tree.get("services") instanceof Map<?, ?> services) {
                LabelSnippets.services(snippet, services);
            } else if (LabelSnippets.looksLikeServices(tree)) {
                LabelSnippets.services(snippet, tree);
            } else if (keys.contains("scrape_configs")) {
                // A Prometheus configuration: it is valid YAML, and its metrics path is the proxy's.
                assertTrue(snippet.code().contains("/metrics"), snippet + ": the scrape config should name /metrics");
            } else {
                fail(snippet + ": cannot tell what this example is (top-level keys " + keys
                        + "); make it dynamic (http:), static (entryPoints:, providers:, ...), a compose command: or labels: list, "
                        + "or mark the block as text");
            }
        } catch (ConfigException | RuleException e) {
            fail(snippet + " does not parse: " + e.getMessage());
        }
    }

    private static final Pattern RULE_IN_TABLE = Pattern.compile("``((?:Host|HostRegexp|Path|PathPrefix|PathRegexp|Method|Header|HeaderRegexp|Query|QueryRegexp|ClientIP)\\([^`]*`[^`]*`(?:,\\s*`[^`]*`)?\\))``");

    static Stream<String> rulesInProse() {
        DocsSite site = Snippets.site();
        return site.pages().stream().flatMap(page -> {
            Matcher m = RULE_IN_TABLE.matcher(site.markdown(page));
            Stream.Builder<String> b = Stream.builder();
            while (m.find()) {
                b.add(page + ": " + m.group(1));
            }
            return b.build();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesInProse")
    void rulesWrittenInProseParse(String pageAndRule) throws RuleException {
        String rule = pageAndRule.substring(pageAndRule.indexOf(": ") + 2);
        if (pageAndRule.contains("troubleshooting") || rule.contains("`a`, `b`") || rule.startsWith("Headers")
                || rule.startsWith("PathPrefix(`app1`)")) {
            return; // examples of mistakes, shown on purpose
        }
        RuleParser.parse(rule);
    }
}

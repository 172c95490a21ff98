package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigLoader;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of docs/reference/docker-labels.md and docker-provider.md goes through the proxy's
 * own parsers: a {@code labels:} block is one compose container (service app1 of project demo, on
 * demo_shared-network) read by the Docker provider, and must give no warning, or the warning that
 * the {@code <!-- expect-warning: ... -->} comment before it names; a {@code command:} block is the
 * proxy's flags and must start.
 */
class DockerDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "reference");
    private static final Pattern FENCE = Pattern.compile("(?:<!-- expect-warning: (.*?) -->\\s*\\n)?```(\\w*)\\n(.*?)```",
            Pattern.DOTALL);

    record Example(String page, int line, String language, String code, String expectedWarning) {
        @Override
        public String toString() {
            return page + ":" + line;
        }
    }

    static List<Example> examples() throws IOException {
        List<Example> out = new ArrayList<>();
        for (String page : List.of("docker-labels.md", "docker-provider.md")) {
            String text = Files.readString(DOCS.resolve(page));
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start(2)).chars().filter(c -> c == '\n').count() + 1;
                out.add(new Example(page, line, m.group(2), m.group(3), m.group(1)));
            }
        }
        return out;
    }

    static Stream<Example> yamlExamples() throws IOException {
        return examples().stream().filter(e -> e.language().equals("yaml"));
    }

    @Test
    void everyBlockIsYamlOrText() throws IOException {
        List<Example> all = examples();
        assertTrue(all.size() > 10, "examples found: " + all.size());
        for (Example e : all) {
            assertTrue(Set.of("yaml", "text").contains(e.language()), e + ": fence a block as yaml (checked) or text");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlExamples")
    void examplesParse(Example example) throws IOException {
        JsonNode tree = new YAMLMapper().readTree(example.code());
        if (tree.has("labels")) {
            checkLabels(example, tree.get("labels"));
        } else if (tree.has("command")) {
            List<String> flags = new ArrayList<>();
            tree.get("command").forEach(f -> flags.add(f.asText()));
            try {
                StaticConfig config = StaticConfigLoader.load(flags);
                assertTrue(config.providers().docker() != null || flags.stream().noneMatch(f -> f.startsWith("--providers.docker")));
            } catch (ConfigException e) {
                fail(example + ": " + e.getMessage());
            }
        } else {
            fail(example + ": a yaml example is a labels: or a command: list");
        }
    }

    private static void checkLabels(Example example, JsonNode list) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("com.docker.compose.project", "demo");
        labels.put("com.docker.compose.service", "app1");
        for (JsonNode item : list) {
            String kv = item.asText().replace("$$", "$"); // compose's escape for a literal $
            int eq = kv.indexOf('=');
            assertTrue(eq > 0, example + ": " + kv + " is not key=value");
            labels.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        DockerContainer c = new DockerContainer("id1", "/demo-app1-1", labels, "running", "", "demo_shared-network",
                Map.of("demo_shared-network", new DockerContainer.Network("demo_shared-network", "10.0.0.11", "n1")), List.of());
        StaticConfig.DockerProvider defaults = new StaticConfig.DockerProvider(null, null, null, null, null, null, null, null, null,
                null, null);
        DockerConfigBuilder.Result r = new DockerConfigBuilder(DockerConfigBuilder.Options.of(defaults)).build(List.of(c), Set.of());
        List<String> lines = r.warnings().stream().map(DockerConfigBuilder.Warning::line).toList();
        if (example.expectedWarning() != null) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(example.expectedWarning())),
                    example + ": expected a warning with \"" + example.expectedWarning() + "\": " + lines);
            return;
        }
        assertEquals(List.of(), lines, example + " gives warnings");
        assertFalse(r.config().http().routers().isEmpty() && r.config().http().services().isEmpty(), example + " routes nothing");
        for (Router router : r.config().http().routers().values()) {
            try {
                RuleParser.parse(router.rule());
            } catch (RuleException e) {
                fail(example + ": " + e.getMessage());
            }
        }
    }

    @Test
    void everyMiddlewareKindHasALabelExample() throws IOException {
        String labels = Files.readString(DOCS.resolve("docker-labels.md")).toLowerCase(Locale.ROOT);
        for (String kind : Middleware.KINDS.keySet()) {
            String k = kind.toLowerCase(Locale.ROOT);
            assertTrue(labels.contains("." + k + ".") || labels.contains("." + k + "="),
                    "docker-labels.md has no traefik.http.middlewares.<name>." + k + " example");
        }
    }
}

package dev.switchboard.lab.grading.labs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.lab.Labs;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.LabSuite;
import dev.switchboard.lab.grading.Suites;
import dev.switchboard.proxy.config.StaticConfigLoader;
import dev.switchboard.proxy.provider.docker.LabelParser;
import dev.switchboard.proxy.rules.RuleParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each lab's handout ({@code docs/labs/<lab folder>.md}) says what its grader checks: the table under
 * "Check your work" lists the suite's checks, with their points, in order. Its YAML examples are the
 * labels or flags a student copies: they parse with the proxy's own parsers.
 */
class LabHandoutsTest {
    private static final Pattern FENCE = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("^\\| (.+?) \\| (\\d+) \\|$", Pattern.MULTILINE);

    static Stream<String> labs() {
        return Suites.labs().stream();
    }

    private static String handout(String lab) throws Exception {
        Path root = Labs.root();
        Path dir = Labs.find(root, lab).orElseThrow();
        Path page = root.resolve("docs/labs").resolve(dir.getFileName() + ".md");
        assertTrue(Files.isRegularFile(page), lab + " has a handout at " + root.relativize(page));
        return Files.readString(page);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    void theCheckTableIsTheGradersChecks(String lab) throws Exception {
        String text = handout(lab);
        int at = text.indexOf("## Check your work");
        assertTrue(at >= 0, lab + ": the handout has a \"Check your work\" section");
        Matcher m = ROW.matcher(text.substring(at));
        List<String> table = new ArrayList<>();
        while (m.find()) {
            table.add(m.group(1) + " = " + m.group(2));
        }
        LabSuite suite = Suites.of(lab).orElseThrow();
        List<String> checks = suite.checks().stream().map(c -> c.name() + " = " + c.points()).toList();
        assertEquals(checks, table, lab + ": the handout's check table");
        assertEquals(100, suite.checks().stream().mapToInt(Check::points).sum(), lab + ": points add up to 100");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    void yamlExamplesAreLabelsOrFlagsThatParse(String lab) throws Exception {
        Matcher m = FENCE.matcher(handout(lab));
        while (m.find()) {
            if (!m.group(1).equals("yaml")) {
                continue;
            }
            JsonNode tree = new YAMLMapper().readTree(m.group(2));
            List<String> keys = new ArrayList<>();
            tree.fieldNames().forEachRemaining(keys::add);
            if (keys.equals(List.of("labels"))) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (JsonNode item : tree.get("labels")) {
                    String kv = item.asText().replace("$$", "$");
                    int eq = kv.indexOf('=');
                    assertTrue(kv.startsWith("traefik.") && eq > 0, lab + ": " + kv + " is not a traefik.* label");
                    labels.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                LabelParser.Parsed parsed = LabelParser.parse(labels, "app1");
                assertEquals(List.of(), parsed.errors(), lab + ": " + labels);
                assertEquals(List.of(), parsed.warnings(), lab + ": " + labels);
                for (var router : parsed.http().routers().values()) {
                    if (router.rule() != null) {
                        RuleParser.parse(router.rule());
                    }
                }
            } else if (keys.equals(List.of("command"))) {
                List<String> flags = new ArrayList<>();
                tree.get("command").forEach(f -> flags.add(f.asText()));
                assertFalse(StaticConfigLoader.load(flags).entryPoints().isEmpty());
            } else {
                fail(lab + ": a yaml example is a labels: or a command: list (mark others as text): " + keys);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    void everyLabHasAStarterAndASolution(String lab) {
        Path dir = Labs.find(Labs.root(), lab).orElseThrow();
        for (String file : Set.of(Labs.STARTER, Labs.SOLUTION)) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), dir.resolve(file) + " exists");
        }
    }
}

package dev.switchboard.lab.grading.labs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.LabSuite;
import dev.switchboard.lab.grading.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each lab's handout ({@code docs/labs/<lab folder>.md}) says what its grader checks: the table under
 * "Check your work" lists the suite's checks, with their points, in order. Its YAML examples are the
 * labels or flags a student copies: the docs module's DocsSnippetsTest parses them with the proxy's own parsers.
 */
class LabHandoutsTest {
    private static final Pattern ROW = Pattern.compile("^\\| (.+?) \\| (\\d+) \\|$", Pattern.MULTILINE);

    static Stream<String> labs() {
        return Suites.labs().stream();
    }

    private static String handout(String lab) throws Exception {
        Path root = LabFolders.root();
        Path dir = LabFolders.find(root, lab).orElseThrow();
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
    void everyLabHasAStarterAndASolution(String lab) {
        Path dir = LabFolders.find(LabFolders.root(), lab).orElseThrow();
        for (String file : Set.of(LabFolders.STARTER, LabFolders.SOLUTION)) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), dir.resolve(file) + " exists");
        }
    }
}

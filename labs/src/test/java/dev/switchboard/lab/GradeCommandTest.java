package dev.switchboard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabSuite;
import dev.switchboard.lab.grading.ReportFormat;
import dev.switchboard.lab.grading.Suites;
import dev.switchboard.lab.grading.batch.ClassGrader;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.topology.TopologyOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code lab grade --submissions} grades each student in a child {@code lab grade}: the child must run
 * the topology the batch was asked for ({@code --profile}, {@code --traefik}), or a class graded
 * against the official Traefik image would silently be graded against Switchboard's proxy.
 */
class GradeCommandTest {
    private static final Path ROOT = LabFolders.root();
    private static final List<String> LAUNCHER = List.of("java", "-cp", "lab.jar", "dev.switchboard.lab.Lab");

    private static GradeCommand parse(List<String> args) {
        GradeCommand grade = new GradeCommand();
        new CommandLine(grade).parseArgs(args.toArray(String[]::new));
        return grade;
    }

    /** The options the batch's own command line gives, and what its child for alice parses them as. */
    private static TopologyOptions inChild(String backend, List<String> batchOptions) {
        List<String> batch = new ArrayList<>(List.of("lab1", "--submissions", "class", "--backend", backend));
        batch.addAll(batchOptions);
        TopologyOptions asked = parse(batch).topologyOptions();
        LabSuite suite = Suites.of("lab1").orElseThrow();
        ClassGrader grader = new ClassGrader(new ClassGrader.Options(ROOT, suite, LabFolders.find(ROOT, "lab1").orElseThrow(),
                Path.of("class"), Path.of("out"), backend, 1, Duration.ofMinutes(10), ReportFormat.DEFAULT, null, "Lab 1",
                LAUNCHER, asked), System.out);
        List<String> command = grader.childCommand(Path.of("class", "alice"), Path.of("out", "alice"));
        assertEquals(LAUNCHER, command.subList(0, LAUNCHER.size()), command.toString());
        assertEquals("grade", command.get(LAUNCHER.size()), command.toString());
        GradeCommand child = parse(command.subList(LAUNCHER.size() + 1, command.size()));
        assertEquals(Path.of("class", "alice"), child.submission, command.toString());
        assertEquals(backend, child.backend, command.toString());
        TopologyOptions got = child.topologyOptions();
        assertEquals(asked, got, "batch " + batchOptions + ", child " + command);
        return got;
    }

    @Test
    void eachGradingOfAClassRunsTheTopologyTheClassWasGradedWith() {
        assertEquals(TopologyOptions.DEFAULT, inChild("simulated", List.of()));
        assertEquals(new TopologyOptions("switchboard", null), inChild("simulated", List.of("--profile", "switchboard")));
        assertEquals(new TopologyOptions(null, "traefik:v3.2"), inChild("containers", List.of("--traefik")));
        assertEquals(new TopologyOptions("traefik", "traefik:v3.3"),
                inChild("containers", List.of("--traefik=v3.3", "--profile", "traefik")));
        assertEquals(new TopologyOptions(null, "registry.local/traefik:v3.2"),
                inChild("containers", List.of("--traefik=registry.local/traefik:v3.2")));
    }

    @Test
    void traefikWithoutContainersIsRefusedWithTheCommandThatWorks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("lab1", "--traefik")).topologyOptions());
        assertTrue(e.getMessage().contains("./lab grade lab1 --backend containers --traefik"), e.getMessage());
    }
}

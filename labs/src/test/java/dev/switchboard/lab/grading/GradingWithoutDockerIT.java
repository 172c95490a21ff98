package dev.switchboard.lab.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.kit.LabFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab grade --backend containers} where no Docker engine answers: the lab command runs as
 * its own program with {@code DOCKER_HOST} naming a socket nothing listens on, as an instructor's
 * stopped engine would. The submission is not graded: an infrastructure error, no score (an empty
 * cell in scores.csv), never zero points. Runs everywhere, with or without Docker.
 */
class GradingWithoutDockerIT {
    private final Path root = LabFolders.root();

    @TempDir
    Path tmp;

    @Test
    void aSubmissionIsNotGradedAndScoresNothingNotZero() throws Exception {
        Path submissions = tmp.resolve("submissions");
        Path compose = submissions.resolve("alice/compose/lab1-first-routes/compose.yaml");
        Files.createDirectories(compose.getParent());
        Files.copy(root.resolve("compose/lab1-first-routes/compose.solution.yaml"), compose);
        Path out = tmp.resolve("grades");

        Run run = lab("grade", "lab1", "--backend", "containers", "--submissions", submissions.toString(), "--out", out.toString());

        assertEquals(0, run.exit(), run.output());
        List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
        assertEquals("student,lab,score,max,outcome,failed_checks", csv.get(0));
        assertTrue(csv.get(1).startsWith("alice,lab1,,100,infrastructure_error"), "no score, not 0: " + csv.get(1));
        String report = Files.readString(out.resolve("alice/report.md"));
        assertTrue(report.contains("Not graded: infrastructure error"), report);
        assertTrue(report.contains("DOCKER_HOST is unix://"), "says which engine does not answer: " + report);
        assertFalse(report.contains("Score:"), report);
        String junit = Files.readString(out.resolve("alice/report.xml"));
        assertTrue(junit.contains("errors=\"1\"") && junit.contains("failures=\"0\"") && junit.contains("<property name=\"score\" value=\"\""),
                "JUnit XML: one error, no failures, no score: " + junit);
    }

    @Test
    void oneGradingExitsWithTwo() throws Exception {
        Path out = tmp.resolve("grade");

        Run run = lab("grade", "lab1", "--solution", "--backend", "containers", "--out", out.toString());

        assertEquals(2, run.exit(), "exit code 2 says: not graded, " + run.output());
        assertTrue(run.output().contains("Not graded: infrastructure error"), run.output());
        assertFalse(run.output().contains("Score:"), run.output());
    }

    private record Run(int exit, String output) {
    }

    /** The lab command, as {@code ./lab} runs it, with DOCKER_HOST pointing at a socket nobody listens on. */
    private Run lab(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("switchboard.labJar", root.resolve("labs/target/switchboard-lab.jar").toString()));
        assertTrue(Files.isRegularFile(jar), jar + " is not built: run this test from Maven (it runs after package)");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dswitchboard.root=" + root, "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", "unix://" + tmp.resolve("no-docker-here.sock"));
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the lab command did not finish");
        String text = new String(output, java.nio.charset.StandardCharsets.UTF_8);
        System.out.println(text);
        return new Run(p.exitValue(), text);
    }
}

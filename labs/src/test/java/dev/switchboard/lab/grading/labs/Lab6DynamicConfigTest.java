package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Lab 6 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab6DynamicConfigTest {
    private final LabGrading lab = new LabGrading("lab6");

    @Test
    void theSolutionScoresFullMarksAndItsFilesAreLeftAsTheyWere() throws Exception {
        String before = folder(lab.labDir().resolve("dynamic.solution"));
        assertFullMarks(lab.solution("simulated"));
        assertEquals(before, folder(lab.labDir().resolve("dynamic.solution")),
                "the live check writes into the grader's copy, never into the submission's folder");
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertEquals(0, r.score(), "the starter has no file provider and two versions without labels");
        assertHint(r, "versions-from-docker", "loadbalancer.server.port=8081");
        assertHint(r, "file-provider", "--providers.file.directory=/etc/switchboard/dynamic");
        assertHint(r, "live-reload", "fix \"The proxy reads the dynamic folder");
    }

    /** Every file of a folder with its content, to compare before and after. */
    private static String folder(Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                b.append(dir.relativize(f)).append('\n').append(Files.readString(f)).append('\n');
            }
        }
        return b.toString();
    }
}

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

/**
 * Lab 8 graded on the simulated backend, under the proxy's default profile (Traefik v3.2's behaviour):
 * the solution has full marks and leaves its files as they were, the starter scores nothing and says
 * where to look. Its single mistakes are in {@code Lab8MutationsTest}.
 */
class Lab8ZeroDowntimeTest {
    private final LabGrading lab = new LabGrading("lab8");

    @Test
    void theSolutionScoresFullMarksAndItsFilesAreLeftAsTheyWere() throws Exception {
        String before = folder(lab.labDir().resolve("dynamic.solution"));
        assertFullMarks(lab.solution("simulated"));
        assertEquals(before, folder(lab.labDir().resolve("dynamic.solution")),
                "the switch check writes into the grader's copy, never into the submission's folder");
    }

    @Test
    void theStarterScoresNothingAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertEquals(0, r.score(), "the starter has no green, no release switch, no testers' route, an immediate shutdown");
        assertHint(r, "releases-deployed", "APP_VERSION: green");
        assertHint(r, "blue-live", "send the router app1 to a release switch instead of app1-blue@docker");
        assertHint(r, "testers-on-green", "no router reads the header X-Tester");
        assertHint(r, "switch-at-once", "fix \"app1.localhost: every request to blue");
        assertHint(r, "graceful-stop", "SERVER_SHUTDOWN: immediate");
        assertHint(r, "rolling-redeploy", "fix \"A replica stopped while serving slow requests");
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

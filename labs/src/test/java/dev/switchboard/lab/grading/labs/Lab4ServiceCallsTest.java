package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/** Lab 4 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab4ServiceCallsTest {
    private final LabGrading lab = new LabGrading("lab4");

    @Test
    void theSolutionScoresFullMarks() {
        assertFullMarks(lab.solution("simulated"));
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertTrue(r.score() <= 10, "the starter has no labels for app2: " + r.score());
        assertHint(r, "app2-prefix", "PathPrefix(`/app2`)");
        assertHint(r, "call-through-proxy", "Host of that URL, not app2.localhost");
        assertHint(r, "call-balanced", "fix \"app1 calls app2 through the reverse proxy");
    }
}

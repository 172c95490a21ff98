package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/** Lab 1 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab1FirstRoutesTest {
    private final LabGrading lab = new LabGrading("lab1");

    @Test
    void theSolutionScoresFullMarks() {
        assertFullMarks(lab.solution("simulated"));
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertTrue(r.score() <= 10, "the starter has no labels: " + r.score());
        assertHint(r, "app1-discovered", "traefik.enable=true");
        assertHint(r, "host-routes-to-app1", "Host(`app1.localhost`)");
        assertHint(r, "access-log", "--accesslog=true");
        assertHint(r, "users-from-database", "fix \"Requests for app1.localhost reach app1\" first");
    }
}

package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/** Lab 2 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab2ReplicasTest {
    private final LabGrading lab = new LabGrading("lab2");

    @Test
    void theSolutionScoresFullMarks() {
        assertFullMarks(lab.solution("simulated"));
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertTrue(r.score() <= 15, "the starter has one replica and no weighted server: " + r.score());
        assertHint(r, "app1-replicas", "replicas: 4");
        assertHint(r, "weighted-server", "traefik.enable=true and app1's labels");
        assertHint(r, "round-robin", "replicas: 4");
        assertHint(r, "scale-down", "replicas: 4");
    }
}

package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/** Lab 5 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab5FailoverTest {
    private final LabGrading lab = new LabGrading("lab5");

    @Test
    void theSolutionScoresFullMarks() {
        assertFullMarks(lab.solution("simulated"));
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertEquals(0, r.score(), "the starter has one replica, no health check, no retry, no timeout");
        assertHint(r, "three-replicas", "replicas: 3");
        assertHint(r, "unready-replica", "healthcheck.path=/actuator/health/readiness");
        assertHint(r, "hung-replica-out", "replicas: 3");
        assertHint(r, "hung-replica-bounded", "replicas: 3");
        assertHint(r, "kill-under-load", "replicas: 3");
    }
}

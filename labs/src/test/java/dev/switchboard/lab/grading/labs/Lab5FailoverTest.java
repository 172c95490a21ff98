package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static dev.switchboard.lab.grading.LabGrading.assertOnlyFailed;
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
        assertEquals(0, r.score(), "the starter has one replica and no health check");
        assertHint(r, "three-replicas", "replicas: 3");
        assertHint(r, "unready-replica", "healthcheck.path=/actuator/health/readiness");
        assertHint(r, "hung-replica", "replicas: 3");
        assertHint(r, "kill-under-load", "replicas: 3");
    }

    @Test
    void probingAPathThatIsAlwaysFineLosesOnlyTheReadinessCheck() throws Exception {
        // /instance answers while the replica says it is not ready; it still hangs with the replica.
        Report r = lab.mistake(s -> s.replace("healthcheck.path=/actuator/health/readiness", "healthcheck.path=/instance"),
                "simulated");
        assertOnlyFailed(r, "unready-replica");
    }

    @Test
    void aProbeTimeoutLongerThanTheClientsPatienceLosesOnlyTheHungReplicaCheck() throws Exception {
        Report r = lab.mistake(s -> s.replace("healthcheck.timeout=2s", "healthcheck.timeout=30s"), "simulated");
        assertOnlyFailed(r, "hung-replica");
        assertHint(r, "hung-replica", "interval + timeout");
    }
}

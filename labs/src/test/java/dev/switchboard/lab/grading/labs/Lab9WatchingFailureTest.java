package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/**
 * Lab 9 graded on the simulated backend, under the proxy's default profile (Traefik v3.2's behaviour):
 * the solution has full marks, the starter scores nothing and says where to look. Its single mistakes
 * are in {@code Lab9MutationsTest}.
 */
class Lab9WatchingFailureTest {
    private final LabGrading lab = new LabGrading("lab9");

    @Test
    void theSolutionScoresFullMarks() {
        assertFullMarks(lab.solution("simulated"));
    }

    @Test
    void theStarterScoresNothingAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertEquals(0, r.score(), "the starter has no metrics, no health check and no circuit breaker");
        assertHint(r, "metrics-endpoint", "--metrics.prometheus=true");
        assertHint(r, "router-metrics", "--metrics.prometheus=true");
        assertHint(r, "failing-replica-found", "--metrics.prometheus=true");
        assertHint(r, "breaker-opens", "no circuitBreaker middleware");
        assertHint(r, "breaker-recovers", "fix \"When every replica fails");
    }
}

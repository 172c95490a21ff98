package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static dev.switchboard.lab.grading.LabGrading.assertOnlyFailed;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/** Lab 2 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab2ReplicasTest {
    private static final String WEIGHT = "      - \"traefik.http.services.app1.loadbalancer.server.weight=3\"\n";
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
        assertHint(r, "round-robin", "fix \"The proxy balances over app1's 4 replicas, all up\" first");
        assertHint(r, "scale-down", "fix \"The proxy balances over app1's 4 replicas, all up\" first");
    }

    @Test
    void theWeightOnAppOneInsteadOfTheLargeServerLosesOnlyTheWeightCheck() throws Exception {
        Report r = lab.mistake(s -> {
            String moved = s.replace(WEIGHT, "");
            String app1Port = "      - \"traefik.http.services.app1.loadbalancer.server.port=8081\"\n";
            return moved.replace(app1Port + "\n", app1Port + WEIGHT + "\n");
        }, "simulated");
        assertOnlyFailed(r, "weighted-server");
        assertHint(r, "weighted-server", "in app1-large's labels, not app1's");
    }

    @Test
    void withoutTheWeightTheLargeServerGetsAReplicasShareAndOnlyTheWeightCheckFails() throws Exception {
        Report r = lab.mistake(s -> s.replace(WEIGHT, ""), "simulated");
        assertOnlyFailed(r, "weighted-server");
        assertHint(r, "weighted-server", "server.weight=3");
    }
}

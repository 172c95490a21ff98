package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import org.junit.jupiter.api.Test;

/** Lab 3 graded on the simulated backend: the solution, the starter, and one mistake at a time. */
class Lab3StripPrefixTest {
    private static final String STRIP = "      - \"traefik.http.middlewares.app1-strip.stripprefix.prefixes=/app1\"\n";
    private static final String ATTACH = "      - \"traefik.http.routers.app1.middlewares=app1-strip\"\n";
    private final LabGrading lab = new LabGrading("lab3");

    @Test
    void theSolutionScoresFullMarks() {
        assertFullMarks(lab.solution("simulated"));
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertTrue(r.score() <= 15, "the starter has the Host rule only: " + r.score());
        assertHint(r, "prefix-route", "Host(`app1.localhost`) || PathPrefix(`/app1`)");
        assertHint(r, "prefix-stripped", "fix \"Requests for /app1/... reach app1, whatever the host\" first");
    }
}

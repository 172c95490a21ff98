package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;

import dev.switchboard.lab.grading.ContainersBackend;
import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lab 7 graded on the containers backend (Docker): the reference solution scores full marks there too. */
class Lab7AlgorithmsContainersIT {
    private final LabGrading lab = new LabGrading("lab7");

    @BeforeAll
    static void containersBackendIsThere() {
        ContainersBackend.assumeAvailable();
    }

    @Test
    void theSolutionScoresFullMarks() {
        long start = System.nanoTime();
        Report r = lab.solution("containers");
        System.out.printf(Locale.ROOT, "[lab7 containers] one grading: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertFullMarks(r);
    }
}

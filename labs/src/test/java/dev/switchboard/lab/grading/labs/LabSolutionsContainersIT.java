package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.testing.Docker;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Labs 2 to 7 graded on the containers backend (Docker): each reference solution scores full marks
 * there too, as on the simulated backend. Lab 1 has its own class, which also grades two submissions
 * at once. Prints how long each grading took.
 */
class LabSolutionsContainersIT {

    @BeforeAll
    static void docker() {
        Docker.assumeAvailable();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lab2", "lab3", "lab4", "lab5", "lab6", "lab7"})
    void theSolutionScoresFullMarks(String lab) {
        long start = System.nanoTime();
        Report r = new LabGrading(lab).solution("containers");
        System.out.printf(Locale.ROOT, "[%s containers] one grading: %.1f s%n", lab, (System.nanoTime() - start) / 1e9);
        assertFullMarks(r);
    }
}

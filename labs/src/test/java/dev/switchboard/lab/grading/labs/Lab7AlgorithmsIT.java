package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;

import dev.switchboard.lab.grading.ContainersBackend;
import dev.switchboard.lab.grading.LabGrading;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lab 7 graded on the containers backend (Docker): the reference solution scores full marks there too. */
class Lab7AlgorithmsIT {
    private final LabGrading lab = new LabGrading("lab7");

    @BeforeEach
    void containersBackendIsThere() {
        ContainersBackend.assumeAvailable();
    }

    @Test
    void theSolutionScoresFullMarksOnContainers() {
        assertFullMarks(lab.solution("containers"));
    }
}

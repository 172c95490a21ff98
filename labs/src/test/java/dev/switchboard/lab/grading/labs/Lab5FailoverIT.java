package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;

import dev.switchboard.lab.grading.ContainersBackend;
import dev.switchboard.lab.grading.LabGrading;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lab 5 graded on the containers backend (Docker): the reference solution scores full marks there too. */
class Lab5FailoverIT {
    private final LabGrading lab = new LabGrading("lab5");

    @BeforeEach
    void containersBackendIsThere() {
        ContainersBackend.assumeAvailable();
    }

    @Test
    void theSolutionScoresFullMarksOnContainers() {
        assertFullMarks(lab.solution("containers"));
    }
}

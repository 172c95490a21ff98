package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.testing.Docker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lab 3 graded on the containers backend (Docker): the reference solution scores full marks there too. */
class Lab3StripPrefixContainersIT {

    @BeforeAll
    static void needsDocker() {
        Docker.assumeAvailable();
    }

    @Test
    void theSolutionScoresFullMarksOnContainers() {
        assertFullMarks(new LabGrading("lab3").solution("containers"));
    }
}

package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
import static dev.switchboard.lab.grading.LabGrading.assertOnlyFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Lab 7 graded on the simulated backend: the solution (and its chart), the starter, and one mistake. */
class Lab7AlgorithmsTest {
    private final LabGrading lab = new LabGrading("lab7");

    @Test
    void theSolutionScoresFullMarksAndTheReportCarriesTheChart() throws Exception {
        Report r = lab.solution("simulated");
        assertFullMarks(r);
        Report.Attachment chart = r.attachments().stream().filter(a -> a.fileName().equals("algorithms.svg")).findFirst()
                .orElseThrow();
        for (Lab7Algorithms.Algorithm a : Lab7Algorithms.ALGORITHMS) {
            assertTrue(chart.content().contains(a.label()), "the chart has a row for " + a.label());
        }
        Path out = Path.of("target", "lab7-report");
        ReportWriter.write(r, out);
        assertTrue(Files.readString(out.resolve("algorithms.svg")).startsWith("<svg"));
        assertTrue(Files.readString(out.resolve("report.md")).contains("![") && Files.readString(out.resolve("report.html"))
                .contains("<img src=\"algorithms.svg\""), "the report shows the chart");
        assertEquals(1 + 16, Files.readString(out.resolve("algorithms.csv")).lines().count());
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertEquals(0, r.score(), "the starter has no routers");
        assertHint(r, "routes", "traefik.http.routers.rr.rule=PathPrefix(`/rr`)");
        assertHint(r, "least-time", "fix \"Four routes");
    }

    @Test
    void leavingTheLeastTimeServiceOnRoundRobinLosesOnlyThatCheck() throws Exception {
        Report r = lab.mistake(s -> s.replace("app1-lt.loadbalancer.strategy=leasttime", "app1-lt.loadbalancer.strategy=wrr"),
                "simulated");
        assertOnlyFailed(r, "least-time");
        assertHint(r, "least-time", "strategy=leasttime");
    }
}

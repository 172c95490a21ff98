package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;
import static dev.switchboard.lab.grading.LabGrading.assertHint;
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
        for (Lab7Algorithms.Algorithm a : Lab7Algorithms.ALGORITHMS.stream().filter(Lab7Algorithms.Algorithm::graded).toList()) {
            assertTrue(chart.content().contains(a.label()), "the chart has a row for " + a.label());
        }
        Path out = Path.of("target", "lab7-report");
        ReportWriter.write(r, out);
        assertTrue(Files.readString(out.resolve("algorithms.svg")).startsWith("<svg"));
        assertTrue(Files.readString(out.resolve("report.md")).contains("![") && Files.readString(out.resolve("report.html"))
                .contains("<img src=\"algorithms.svg\""), "the report shows the chart");
        assertEquals(1 + 3 * 4, Files.readString(out.resolve("algorithms.csv")).lines().count(),
                "three routes (the solution holds on Traefik v3.2: no route beyond it), four replicas each");
    }

    @Test
    void theStarterScoresLowAndSaysWhereToLook() {
        Report r = lab.starter("simulated");
        assertEquals(0, r.score(), "the starter has no routers");
        assertHint(r, "round-robin", "traefik.http.routers.rr.rule=PathPrefix(`/rr`)");
        assertHint(r, "sticky", "traefik.http.routers.sticky.rule=PathPrefix(`/sticky`)");
        assertHint(r, "health-timeout", "traefik.http.routers.hc.rule=PathPrefix(`/hc`)");
    }
}

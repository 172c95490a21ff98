package dev.switchboard.lab.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab grade --format}: the files, and the result GitHub Classroom's autograding reporter reads. */
class ReportFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Report graded() {
        return new Report("lab3", "Strip prefix", "alice", "simulated", Report.Outcome.GRADED, null, List.of(
                new CheckResult("host-route", "Requests for app1.localhost reach app1", 15, true, "answered by abc", null,
                        Duration.ofMillis(120)),
                new CheckResult("prefix-stripped", "/app1/users answers the users", 25, false, "404 from app1",
                        "attach the middleware", Duration.ofMillis(300))), 40, Instant.parse("2026-01-02T03:04:05Z"));
    }

    /**
     * The reporter (classroom-resources/autograding-grading-reporter, notify-classroom.js) adds up
     * {@code tests[].score} over {@code max_score}; console-results.js prints each test's name and, when
     * it did not pass, its message; main.js fails the run when {@code status} is fail or error.
     */
    @Test
    void classroomResultIsWhatTheAutogradingReporterAddsUp() throws Exception {
        JsonNode r = JSON.readTree(ReportJson.classroom(graded()));
        assertEquals(1, r.get("version").asInt());
        assertEquals("fail", r.get("status").asText());
        assertEquals(40, r.get("max_score").asInt());
        int total = 0;
        for (JsonNode t : r.get("tests")) {
            total += t.get("score").asInt();
        }
        assertEquals(15, total, "the reporter's points are the sum of the tests' scores");
        JsonNode failed = r.get("tests").get(1);
        assertEquals("fail", failed.get("status").asText());
        assertTrue(failed.get("message").asText().contains("404 from app1") && failed.get("message").asText()
                .contains("attach the middleware"), failed.toString());
    }

    @Test
    void aSubmissionNotGradedIsAnErrorForClassroomNeverAPass() throws Exception {
        Report timedOut = new Report("lab3", "Strip prefix", "bob", "containers", Report.Outcome.INFRASTRUCTURE_ERROR,
                "no Docker engine", List.of(), 100, Instant.EPOCH);
        JsonNode r = JSON.readTree(ReportJson.classroom(timedOut));
        assertEquals("error", r.get("status").asText());
        assertEquals(0, r.get("tests").get(0).get("score").asInt());
        assertTrue(r.get("tests").get(0).get("message").asText().contains("no Docker engine"));
    }

    @Test
    void theJsonResultReadsBackAsTheSameReport() throws Exception {
        Report back = ReportJson.read(ReportJson.json(graded()));
        assertEquals(graded().results(), back.results());
        assertEquals(graded().score(), back.score());
        assertEquals(graded().at(), back.at());
        assertEquals(Report.Outcome.GRADED, back.outcome());
    }

    @Test
    void formatsChooseTheFilesWritten() throws Exception {
        ReportWriter.write(graded(), dir, ReportFormat.parse("junit, classroom"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("classroom.json", "report.xml"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(EnumSet.of(ReportFormat.MARKDOWN, ReportFormat.JSON), ReportFormat.parse("md,json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFormat.parse("junit,pdf"));
        assertTrue(e.getMessage().contains("\"pdf\"") && e.getMessage().contains("classroom"), e.getMessage());
    }

    @Test
    void aTimedOutSubmissionHasNoScoreInTheCsvAndAnErrorInJunit() {
        Report r = new Report("lab3", "Strip prefix", "carol", "simulated", Report.Outcome.TIMED_OUT, "stopped after 10m00s",
                List.of(), 100, Instant.EPOCH);
        assertEquals("student,lab,score,max,outcome,failed_checks\ncarol,lab3,,100,timed_out,\n", ReportWriter.csv(List.of(r)));
        String xml = ReportWriter.junitXml(r);
        assertTrue(xml.contains("errors=\"1\"") && xml.contains("name=\"timed_out\""), xml);
        assertTrue(ReportWriter.markdown(r).contains("Not graded: timed out"));
    }
}

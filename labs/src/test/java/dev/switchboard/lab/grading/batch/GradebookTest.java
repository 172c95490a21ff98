package dev.switchboard.lab.grading.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.switchboard.lab.grading.CheckResult;
import dev.switchboard.lab.grading.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gradebook files, read back as a CSV reader (Moodle's, Canvas's) reads them. */
class GradebookTest {
    private static final Roster.Student ALICE = new Roster.Student("alice", "s001", "Alice", "Liddell", "alice@example.org", "", "A");
    private static final Roster.Student BOB = new Roster.Student("bob", "s002", "Bob", "Builder, Jr.", "bob@example.org", "bobb", "");

    private static Report report(String student, Report.Outcome outcome, boolean... passed) {
        List<CheckResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < passed.length; i++) {
            results.add(new CheckResult("c" + i, "Check \"" + i + "\", quoted", 50, passed[i], "seen", "hint", Duration.ZERO));
        }
        return new Report("lab3", "Strip prefix", student, "simulated", outcome, outcome == Report.Outcome.SUBMISSION_ERROR
                ? "line 3: bad" : null, results, 100, Instant.EPOCH);
    }

    private static List<List<String>> read(String csv) throws Exception {
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .readValues(csv)) {
            return it.readAll();
        }
    }

    @Test
    void moodleHasItsExportsColumnNamesTheScoreAndTheFailedChecksAsFeedback() throws Exception {
        List<List<String>> rows = read(Gradebook.moodle("Lab 3", List.of(new Gradebook.Row(ALICE, report("alice",
                Report.Outcome.GRADED, true, false)), new Gradebook.Row(BOB, report("bob", Report.Outcome.SUBMISSION_ERROR, false, false)))));
        assertEquals(List.of("First name", "Last name", "ID number", "Email address", "Lab 3", "Feedback"), rows.get(0));
        assertEquals(List.of("Alice", "Liddell", "s001", "alice@example.org", "50", "50 / 100. Failed: Check \"1\", quoted."),
                rows.get(1));
        assertEquals("0", rows.get(2).get(4));
        assertEquals("0 / 100. The compose file cannot run: line 3: bad", rows.get(2).get(5));
        assertEquals(3, rows.size());
    }

    @Test
    void canvasHasItsExportsColumnsAPointsPossibleRowAndLastFirstNames() throws Exception {
        List<List<String>> rows = read(Gradebook.canvas("Lab 3 (1234)", 100, List.of(new Gradebook.Row(BOB,
                report("bob", Report.Outcome.GRADED, true, true)))));
        assertEquals(List.of("Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 3 (1234)"), rows.get(0));
        assertEquals(List.of("Points Possible", "", "", "", "", "100"), rows.get(1));
        assertEquals(List.of("Builder, Jr., Bob", "", "s002", "bobb", "", "100"), rows.get(2));
    }
}

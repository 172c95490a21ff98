package dev.switchboard.lab.grading.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.switchboard.lab.grading.CheckResult;
import dev.switchboard.lab.grading.Report;
import java.util.ArrayList;
import java.util.List;

/**
 * The scores of a batch as the two common learning platforms import them. Only submissions with a
 * score (graded, or zero for a compose file that cannot run) of students on the roster are
 * written: Moodle aborts a whole import on a row whose user it cannot find, and an empty grade
 * there removes the grade already entered; a submission not graded (timed out, infrastructure
 * error) is listed in the batch summary to be graded again, never imported as a blank or a zero.
 */
public final class Gradebook {
    private static final CsvMapper CSV = new CsvMapper();

    /** One student's score with the roster's identifiers. */
    public record Row(Roster.Student student, Report report) {
    }

    private Gradebook() {
    }

    /**
     * Moodle's "Import grades → CSV file" (grade/import/csv): columns named as Moodle's own plain-text
     * export names them ({@code First name}, {@code Last name}, {@code ID number}, {@code Email address}),
     * one grade column named after the assignment, and its feedback. On import, map "Email address"
     * to the user's email address (or "ID number" to the ID number), the grade column to the grade
     * item, and "Feedback" to its feedback.
     */
    public static String moodle(String assignment, List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("First name", "Last name", "ID number", "Email address", assignment, "Feedback"));
        for (Row r : rows) {
            Roster.Student s = r.student();
            out.add(List.of(s.firstName(), s.lastName(), s.id(), s.email(), r.report().scoreCell(), feedback(r.report())));
        }
        return write(out);
    }

    /**
     * Canvas's Gradebook "Import" (a CSV as Canvas's own export lays it out): {@code Student}
     * ("Last, First"), {@code ID} (Canvas's own, left empty), {@code SIS User ID} (the roster's student
     * id), {@code SIS Login ID} (the roster's login, if any), {@code Section}, then the assignment
     * column, and a "Points Possible" row under the header. Canvas matches students by SIS User ID
     * or SIS Login ID; a column whose name is not an existing assignment's ("Name (id)" as in
     * Canvas's export) creates a new assignment.
     */
    public static String canvas(String assignment, int pointsPossible, List<Row> rows) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment));
        out.add(List.of("Points Possible", "", "", "", "", String.valueOf(pointsPossible)));
        for (Row r : rows) {
            Roster.Student s = r.student();
            String name = s.lastName().isEmpty() ? s.firstName() : s.lastName() + ", " + s.firstName();
            out.add(List.of(name, "", s.id(), s.login(), s.section(), r.report().scoreCell()));
        }
        return write(out);
    }

    /** "70 / 100. Failed: check name; check name. See report.md." */
    static String feedback(Report r) {
        StringBuilder b = new StringBuilder().append(r.score()).append(" / ").append(r.maxPoints()).append('.');
        if (r.outcome() == Report.Outcome.SUBMISSION_ERROR) {
            b.append(" The compose file cannot run: ").append(r.error());
            return b.toString();
        }
        List<String> failed = r.results().stream().filter(c -> !c.passed()).map(CheckResult::name).toList();
        if (!failed.isEmpty()) {
            b.append(" Failed: ").append(String.join("; ", failed)).append('.');
        }
        return b.toString();
    }

    private static String write(List<List<String>> rows) {
        try {
            // quotes only where a field needs them (a comma, a quote, a line break), as both platforms' own exports
            return CSV.writer(CsvSchema.emptySchema().withLineSeparator("\r\n")).with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                    .writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.switchboard.lab.grading;

import java.time.Instant;
import java.util.List;

/**
 * The grade of one submission for one lab. {@link Outcome#INFRASTRUCTURE_ERROR} means the grader
 * could not run the topology (no Docker engine, say): no score is given, it is not the student's
 * fault. {@link Outcome#SUBMISSION_ERROR} means the compose file itself cannot run: zero, with the
 * reason.
 */
public record Report(String lab, String title, String student, String backend, Outcome outcome, String error,
        List<CheckResult> results, int maxPoints, Instant at, List<Attachment> attachments) {

    public Report {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A report without attached files. */
    public Report(String lab, String title, String student, String backend, Outcome outcome, String error,
            List<CheckResult> results, int maxPoints, Instant at) {
        this(lab, title, student, backend, outcome, error, results, maxPoints, at, List.of());
    }

    /**
     * A file the checks produced for the student (lab 7's chart), written next to the report.
     *
     * @param fileName a plain file name: {@code algorithms.svg}
     */
    public record Attachment(String fileName, String description, String content) {
        public Attachment {
            if (!fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("an attachment is a plain file name, not " + fileName);
            }
        }
    }

    public enum Outcome {
        GRADED, SUBMISSION_ERROR, INFRASTRUCTURE_ERROR
    }

    public int score() {
        return results.stream().mapToInt(CheckResult::awarded).sum();
    }

    /** The score for a CSV: empty for an infrastructure error, which is not a zero. */
    public String scoreCell() {
        return outcome == Outcome.INFRASTRUCTURE_ERROR ? "" : String.valueOf(score());
    }
}

package dev.switchboard.lab.grading;

import java.time.Instant;
import java.util.List;

/**
 * The grade of one submission for one lab. {@link Outcome#INFRASTRUCTURE_ERROR} means the grader
 * could not run the topology (no Docker engine, say): no score is given, it is not the student's
 * fault. {@link Outcome#SUBMISSION_ERROR} means the compose file itself cannot run: zero, with the
 * reason. A batch adds {@link Outcome#TIMED_OUT}, {@link Outcome#INTERRUPTED} and
 * {@link Outcome#NO_SUBMISSION}: none of them is a score.
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
        /** The topology ran; the score is the points of the passed checks. */
        GRADED,
        /** The compose file cannot run: zero, with the reason. */
        SUBMISSION_ERROR,
        /** The grader could not run the topology for a reason that is not the student's: no score. */
        INFRASTRUCTURE_ERROR,
        /** The grading took longer than the batch's time limit and was stopped: no score, grade it again. */
        TIMED_OUT,
        /** The batch was stopped (Ctrl-C) before this grading finished: no score. */
        INTERRUPTED,
        /** On the roster, but no folder in the submissions: no score. */
        NO_SUBMISSION;

        /** Whether the outcome is a score (possibly zero), as opposed to "not graded". */
        public boolean scored() {
            return this == GRADED || this == SUBMISSION_ERROR;
        }

        /** As written in scores.csv: {@code infrastructure_error}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A submission the batch could not grade: no checks, no score, and why. */
    public static Report notGraded(LabSuite suite, String student, String backend, Outcome outcome, String why) {
        if (outcome.scored()) {
            throw new IllegalArgumentException(outcome + " is a score");
        }
        return new Report(suite.lab(), suite.title(), student, backend, outcome, why, List.of(), suite.maxPoints(), Instant.now());
    }

    public int score() {
        return results.stream().mapToInt(CheckResult::awarded).sum();
    }

    /** The score for a CSV: empty when the submission was not graded (an infrastructure error, a time-out...), which is not a zero. */
    public String scoreCell() {
        return outcome.scored() ? String.valueOf(score()) : "";
    }
}

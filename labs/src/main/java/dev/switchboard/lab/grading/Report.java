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
        List<CheckResult> results, int maxPoints, Instant at) {

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

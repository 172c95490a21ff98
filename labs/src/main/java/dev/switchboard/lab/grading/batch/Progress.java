package dev.switchboard.lab.grading.batch;

import dev.switchboard.lab.grading.Report;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The batch's progress line: submissions done out of the total, how many run, the time since the
 * start and an estimate of the time left (what is left at the pace so far, which counts the gradings
 * running side by side). On a terminal the line is rewritten in place every second; otherwise one
 * line per finished grading.
 */
final class Progress {
    private final PrintStream out;
    private final int total;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private int done;
    private int lastLength;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    synchronized void done(String student, Report r, Duration took, int running) {
        String score = r.outcome().scored() ? r.score() + "/" + r.maxPoints() : "not graded (" + ClassGrader.lower(r.outcome()) + ")";
        done++;
        clear();
        out.println("  " + student + ": " + score + " in " + duration(took));
        line(running);
    }

    synchronized void tick(int running) {
        if (terminal) {
            line(running);
        }
    }

    synchronized void end() {
        clear();
    }

    private void line(int running) {
        String text = status(done, total, running, Duration.ofNanos(System.nanoTime() - start));
        if (terminal) {
            out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            lastLength = text.length();
        } else {
            out.println(text);
        }
        out.flush();
    }

    private void clear() {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
    }

    /** "[12/30] 2 running, 9m03s so far, about 13m30s left". */
    static String status(int done, int total, int running, Duration elapsed) {
        StringBuilder b = new StringBuilder("[").append(done).append('/').append(total).append("] ").append(running)
                .append(" running, ").append(duration(elapsed)).append(" so far, ");
        if (done == 0) {
            b.append("time left: after the first grading");
        } else if (done == total) {
            b.append("done");
        } else {
            b.append("about ").append(duration(remaining(done, total, elapsed))).append(" left");
        }
        return b.toString();
    }

    /** The time left at the pace so far: the elapsed time per finished grading, times the gradings left. */
    static Duration remaining(int done, int total, Duration elapsed) {
        return done == 0 ? null : elapsed.multipliedBy(total - done).dividedBy(done);
    }

    /** "1h02m", "13m30s", "42s". */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}

package dev.switchboard.lab.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * Docker's verdict from a container's health probes, one result at a time: a passing probe makes it
 * {@code healthy}; {@code retries} failures in a row make it {@code unhealthy}. Failures during the
 * start period do not count, but the start period ends at the first passing probe (Docker: "if a
 * health check succeeds during the start period, the container is considered started and all
 * consecutive failures will be counted"), so a replica that was healthy and then hangs turns
 * unhealthy after {@code retries} probes, not only once the start period is over.
 */
final class HealthStreak {
    private final int retries;
    private final Duration startPeriod;
    private final Instant startedAt;
    private boolean passedOnce;
    private int failures;

    HealthStreak(int retries, Duration startPeriod, Instant startedAt) {
        this.retries = Math.max(1, retries);
        this.startPeriod = startPeriod;
        this.startedAt = startedAt;
    }

    /** Records one probe; returns the new status, or {@code null} while it stays what it was. */
    String record(boolean passed, Instant at) {
        if (passed) {
            passedOnce = true;
            failures = 0;
            return "healthy";
        }
        boolean counts = passedOnce || Duration.between(startedAt, at).compareTo(startPeriod) >= 0;
        if (counts && ++failures >= retries) {
            return "unhealthy";
        }
        return null;
    }
}

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
 *
 * <p>Until the first passing probe, within the start period, the simulation probes every
 * {@link #START_INTERVAL} (Docker's {@code start_interval}, which compose files of the course leave
 * at its default of 5 s): a container is healthy as soon as it answers, so nothing waits for the next
 * probe; then every {@code interval}, as Docker does.
 */
final class HealthStreak {
    /** How often a starting container is probed. */
    static final Duration START_INTERVAL = Duration.ofMillis(250);

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

    /** Whether the container is still starting at {@code at}: no probe passed yet, within the start period. */
    boolean starting(Instant at) {
        return !passedOnce && Duration.between(startedAt, at).compareTo(startPeriod) < 0;
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

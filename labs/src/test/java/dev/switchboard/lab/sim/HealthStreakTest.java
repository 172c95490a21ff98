package dev.switchboard.lab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Docker's health verdicts, as the simulation reproduces them for compose and Dockerfile health checks. */
class HealthStreakTest {
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

    private Instant at(int seconds) {
        return start.plusSeconds(seconds);
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCountBeforeTheFirstPass() {
        HealthStreak s = new HealthStreak(3, Duration.ofSeconds(60), start);
        for (int i = 1; i <= 10; i++) {
            assertNull(s.record(false, at(i * 5)), "probe " + i + " is in the start period");
        }
        assertEquals("healthy", s.record(true, at(55)));
    }

    @Test
    void theStartPeriodEndsAtTheFirstPassingProbe() {
        HealthStreak s = new HealthStreak(3, Duration.ofSeconds(60), start);
        assertEquals("healthy", s.record(true, at(5)));
        assertNull(s.record(false, at(10)));
        assertNull(s.record(false, at(15)));
        assertEquals("unhealthy", s.record(false, at(20)), "three failures in a row, start period or not");
    }

    @Test
    void afterTheStartPeriodRetriesFailuresInARowMakeItUnhealthyAndOnePassHealsIt() {
        HealthStreak s = new HealthStreak(2, Duration.ZERO, start);
        assertNull(s.record(false, at(1)));
        assertEquals("healthy", s.record(true, at(2)));
        assertNull(s.record(false, at(3)));
        assertEquals("healthy", s.record(true, at(4)), "a pass resets the count");
        assertNull(s.record(false, at(5)));
        assertEquals("unhealthy", s.record(false, at(6)));
        assertEquals("healthy", s.record(true, at(7)));
    }
}

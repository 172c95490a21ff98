package dev.switchboard.proxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Short runs of {@link FailoverMeasurement}. The figures are printed; the assertions are the
 * functional goals, not timings: killing one replica of four causes no GET errors, and the dead
 * server stops receiving requests.
 */
class FailoverMeasurementTest {

    @Test
    void killingOneOfFourBackendsCausesNoGetErrors() throws Exception {
        FailoverMeasurement.KillFigures plain = FailoverMeasurement.killOneOfFour("no health configuration",
                "strategy: wrr", Duration.ofSeconds(3), 6);
        System.out.println(plain);
        assertEquals(0, plain.getErrors(), plain::toString);
        assertTrue(plain.gets() > 100, plain::toString);
        // Round robin would send it a quarter of everything after the kill; what it gets is only what was
        // already on its way when it died (how much depends on the machine's load, not on the proxy).
        assertTrue(plain.attemptsToDeadAfterKill() < (plain.gets() + plain.posts()) / 20,
                "after the first refused connection the dead server gets nothing (within the 10 s window): " + plain);

        FailoverMeasurement.KillFigures active = FailoverMeasurement.killOneOfFour("healthCheck interval 1s",
                "healthCheck: {path: /health, interval: 1s}", Duration.ofSeconds(3), 6);
        System.out.println(active);
        assertEquals(0, active.getErrors(), active::toString);
    }

    @Test
    void aHungBackendIsMarkedDown() throws Exception {
        FailoverMeasurement.HangFigures figures = FailoverMeasurement.hangOneOfFour(Duration.ofMillis(500),
                Duration.ofMillis(200), 4);
        System.out.println(figures);
        assertTrue(figures.markedDownAfterMs() < 60_000, figures::toString);
    }
}

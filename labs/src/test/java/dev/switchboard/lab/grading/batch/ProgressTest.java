package dev.switchboard.lab.grading.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void theTimeLeftIsTheGradingsLeftAtThePaceSoFar() {
        assertEquals(Duration.ofMinutes(18), Progress.remaining(10, 30, Duration.ofMinutes(9)));
        assertEquals("[10/30] 2 running, 9m00s so far, about 18m00s left", Progress.status(10, 30, 2, Duration.ofMinutes(9)));
        assertEquals("[0/30] 2 running, 4s so far, time left: after the first grading", Progress.status(0, 30, 2, Duration.ofSeconds(4)));
        assertEquals("[30/30] 0 running, 1h02m so far, done", Progress.status(30, 30, 0, Duration.ofMinutes(62)));
    }

    @Test
    void defaultJobsAreTheCoresUnlessMemoryRunsShort() {
        long gib = 1L << 30;
        assertEquals(2, new Capacity(2, 20 * gib, 2 * gib, 0.5).jobs());
        assertEquals(3, new Capacity(8, 7 * gib, 2 * gib, 0.5).jobs());
        assertEquals(1, new Capacity(4, gib, 2 * gib, 0.5).jobs(), "at least one");
        assertEquals("2 cores; 20.0 GiB of memory available, a lab3 grading needs about 2.0 GiB",
                new Capacity(2, 20 * gib, 2 * gib, 0.5).explain("lab3"));
        assertEquals("2 cores (busy: load average 14.5); 20.0 GiB of memory available, a lab3 grading needs about 2.0 GiB",
                new Capacity(2, 20 * gib, 2 * gib, 14.5).explain("lab3"));
    }
}

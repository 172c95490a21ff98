package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"10s,10000", "100ms,100", "1m30s,90000", "1.5s,1500", "2h,7200000", "30,30000", "0,0", "0s,0", "500us,0"})
    void parsesGoDurationsAndBareSeconds(String text, long millis) {
        assertEquals(millis, Durations.parse(text).toMillis());
    }

    @ParameterizedTest
    @CsvSource({"10000,10s", "100,100ms", "90000,1m30s", "1500,1.5s", "7200000,2h0m0s", "0,0s"})
    void formatsLikeGo(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    }

    @ParameterizedTest
    @CsvSource({"soon", "10 s", "s", "1x", "''"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }
}

package dev.switchboard.lab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Health checks read as the container's shell would run them: curl fails on an HTTP error only with -f. */
class HealthProbeTest {
    @Test
    void curlWithoutFailCountsAnyAnswer() {
        HealthProbe p = HealthProbe.of(List.of("CMD-SHELL", "curl -sS -o /dev/null --max-time 2 \"http://127.0.0.1:8080/ping\" || exit 1"), 80);
        assertEquals(new HealthProbe.Http(8080, "/ping", true), p.kind());
    }

    @Test
    void curlWithFailOrWgetNeedsASuccess() {
        assertEquals(new HealthProbe.Http(8081, "/actuator/health", false),
                HealthProbe.of(List.of("CMD", "curl", "-fsS", "http://localhost:8081/actuator/health"), 80).kind());
        assertEquals(new HealthProbe.Http(80, "/", false), HealthProbe.of(List.of("CMD", "curl", "--fail", "http://localhost/"), 80).kind());
        assertEquals(new HealthProbe.Http(8080, "/ping", false),
                HealthProbe.of(List.of("CMD-SHELL", "wget -qO- http://localhost:8080/ping"), 80).kind());
    }
}

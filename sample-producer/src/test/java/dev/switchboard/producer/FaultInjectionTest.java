package dev.switchboard.producer;

import static dev.switchboard.producer.UsersApiContract.assertProblem;
import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.producer.testing.ProducerFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Faults set from the environment at start-up, as a lab's compose file would set them. */
class FaultInjectionTest {

    @Test
    void noFaultsByDefault() {
        try (ProducerFixture producer = ProducerFixture.start()) {
            for (int i = 0; i < 50; i++) {
                assertThat(producer.get("/users/1").statusCode()).isEqualTo(200);
            }
            assertThat(json(producer.get("/admin/faults")).get("active").asString()).isEqualTo("none");
        }
    }

    @Test
    void latencyDelaysApplicationRequests() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_LATENCY_MS", "300"))) {
            long start = System.nanoTime();
            HttpResponse<String> response = producer.get("/users/1");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(tookMs).as("a request with 300 ms added latency").isGreaterThanOrEqualTo(300);
            assertThat(json(producer.get("/admin/faults")).get("latencyMs").asLong()).isEqualTo(300);
        }
    }

    @Test
    void errorRateOneFailsEveryApplicationRequestButNotHealthOrAdmin() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_ERROR_RATE", "100%",
                "FAULT_ERROR_STATUS", "503", "INSTANCE_NAME", "broken"))) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = producer.get("/users/1");
                assertProblem(response, 503, "injected error");
                assertThat(response.headers().firstValue("X-Fault")).hasValue("error");
                assertThat(response.headers().firstValue("X-Instance")).hasValue("broken");
            }
            assertThat(producer.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(producer.get("/admin/faults").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void errorRateHalfFailsSomeRequests() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_ERROR_RATE", "0.5"))) {
            int failed = 0;
            int requests = 200;
            for (int i = 0; i < requests; i++) {
                if (producer.get("/users/1").statusCode() == 500) {
                    failed++;
                }
            }
            // Binomial(200, 0.5): outside 40..160 with probability below 1e-17.
            assertThat(failed).isBetween(40, 160);
        }
    }

    @Test
    void unhealthyTakesReadinessDownWhileServing() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_UNHEALTHY", "true"))) {
            HttpResponse<String> readiness = producer.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(json(readiness).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            assertThat(producer.get("/actuator/health").statusCode()).isEqualTo(503);
            assertThat(producer.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(producer.get("/users/1").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void hangHoldsRequestsIncludingHealthUntilCleared() throws Exception {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_HANG", "true"))) {
            CompletableFuture<HttpResponse<String>> user = async(producer, "/users/1");
            CompletableFuture<HttpResponse<String>> health = async(producer, "/actuator/health/liveness");
            // The admin endpoint still answers (it is how the hang is lifted) ...
            assertThat(json(producer.get("/admin/faults")).get("hang").asBoolean()).isTrue();
            // ... while the others wait: still no answer after a generous pause.
            assertThatThrownBy(() -> user.get(500, TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(health).isNotDone();

            HttpResponse<String> cleared = producer.send("DELETE", "/admin/faults", null, "X-Admin-Token", "switchboard");
            assertThat(cleared.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> user.isDone() && health.isDone());
            assertThat(user.get().statusCode()).isEqualTo(200);
            assertThat(health.get().statusCode()).isEqualTo(200);
        }
    }

    @Test
    void crashAfterRequestsExitsOnTheNextOne() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_CRASH_AFTER", "3"))) {
            for (int i = 0; i < 3; i++) {
                producer.get("/users/1");
                producer.get("/actuator/health"); // not counted
            }
            assertThat(producer.exits()).isEmpty();
            producer.get("/users/1");
            assertThat(producer.exits()).containsExactly("1 crash fault: 3 requests served");
        }
    }

    @Test
    void crashAfterATimeExits() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("FAULT_CRASH_AFTER", "300ms"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !producer.exits().isEmpty());
            assertThat(producer.exits()).containsExactly("1 crash fault: 300 ms passed");
        }
    }

    @Test
    void badFaultVariableFailsStartUpNamingIt() {
        assertThatThrownBy(() -> ProducerFixture.start(Map.of("FAULT_ERROR_RATE", "often")).close())
                .rootCause().hasMessageContaining("FAULT_ERROR_RATE=often").hasMessageContaining("0.2 or 20%");
        assertThatThrownBy(() -> ProducerFixture.start(Map.of("FAULT_LATENCY_MS", "slow")).close())
                .rootCause().hasMessageContaining("FAULT_LATENCY_MS=slow");
        assertThatThrownBy(() -> ProducerFixture.start(Map.of("FAULT_CRASH_AFTER", "soon")).close())
                .rootCause().hasMessageContaining("FAULT_CRASH_AFTER=soon");
    }

    private static CompletableFuture<HttpResponse<String>> async(ProducerFixture producer, String path) {
        return producer.http().sendAsync(HttpRequest.newBuilder(URI.create(producer.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

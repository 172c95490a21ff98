package dev.switchboard.producer;

import static dev.switchboard.producer.UsersApiContract.assertProblem;
import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ProducerFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The probes a proxy's health check or a container healthcheck uses: liveness is the process, readiness adds
 * the database and the {@code unhealthy} fault.
 */
class HealthTest {

    @Test
    void upWithTheDatabaseInReadiness() {
        try (ProducerFixture producer = ProducerFixture.start()) {
            for (String path : new String[]{"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
                HttpResponse<String> response = producer.get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(json(response).get("status").asString()).as(path).isEqualTo("UP");
            }
            JsonNode readiness = json(producer.get("/actuator/health/readiness")).get("components");
            assertThat(readiness.get("db").get("status").asString()).isEqualTo("UP");
            assertThat(readiness.get("readinessState").get("status").asString()).isEqualTo("UP");
            assertThat(readiness.get("faults").get("status").asString()).isEqualTo("UP");
        }
    }

    @Test
    void unreachableDatabaseMeansNotReadyButAlive() {
        // Compose starts the producer and the database together: the producer must start anyway and say so.
        try (ProducerFixture producer = ProducerFixture.start(Map.of(
                "spring.datasource.url", "jdbc:mysql://127.0.0.1:1/users_db?connectTimeout=2000",
                "spring.datasource.username", "root", "spring.datasource.password", "root",
                "spring.datasource.hikari.connection-timeout", "2000"))) {
            assertThat(producer.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
            HttpResponse<String> readiness = producer.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(json(readiness).get("components").get("db").get("status").asString()).isEqualTo("DOWN");
            assertThat(producer.get("/actuator/health").statusCode()).isEqualTo(503);
            assertProblem(producer.get("/users/1"), 503, "the database is not reachable");
            assertThat(producer.get("/instance").statusCode()).isEqualTo(200);
        }
    }
}

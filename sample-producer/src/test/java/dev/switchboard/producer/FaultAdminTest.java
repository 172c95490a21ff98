package dev.switchboard.producer;

import static dev.switchboard.producer.UsersApiContract.assertProblem;
import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.producer.testing.ProducerFixture;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /admin/faults}: changing a running replica's faults, and what keeps that from happening by accident. */
class FaultAdminTest {
    private static final String[] TOKEN = {"X-Admin-Token", "lab-token"};
    private static ProducerFixture producer;

    @BeforeAll
    static void start() {
        producer = ProducerFixture.start(Map.of("FAULT_ADMIN_TOKEN", "lab-token", "INSTANCE_NAME", "app1-a"));
    }

    @AfterAll
    static void stop() {
        producer.close();
    }

    @AfterEach
    void clear() {
        assertThat(producer.send("DELETE", "/admin/faults", null, TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void readingIsOpenChangingNeedsTheToken() {
        assertThat(producer.get("/admin/faults").statusCode()).isEqualTo(200);
        assertProblem(producer.send("PATCH", "/admin/faults?errorRate=1", null), 403, "X-Admin-Token");
        assertProblem(producer.send("PATCH", "/admin/faults?errorRate=1", null, "X-Admin-Token", "switchboard"),
                403, "X-Admin-Token");
        assertProblem(producer.send("POST", "/admin/crash", null), 403, "X-Admin-Token");
        assertThat(producer.get("/users/1").statusCode()).as("nothing changed").isEqualTo(200);
        assertThat(producer.exits()).isEmpty();
    }

    @Test
    void patchWithQueryParametersOrJsonChangesTheGivenFieldsOnly() {
        JsonNode afterQuery = json(producer.send("PATCH", "/admin/faults?latencyMs=100-200&errorStatus=502", null, TOKEN));
        assertThat(afterQuery.get("latencyMs").asLong()).isEqualTo(100);
        assertThat(afterQuery.get("latencyMaxMs").asLong()).isEqualTo(200);
        assertThat(afterQuery.get("errorStatus").asInt()).isEqualTo(502);

        JsonNode afterBody = json(producer.send("PATCH", "/admin/faults", "{\"errorRate\": 1, \"unhealthy\": true}", TOKEN));
        assertThat(afterBody.get("latencyMs").asLong()).as("kept").isEqualTo(100);
        assertThat(afterBody.get("errorRate").asDouble()).isEqualTo(1.0);
        assertThat(afterBody.get("unhealthy").asBoolean()).isTrue();
        assertThat(afterBody.get("active").asString()).contains("latency 100-200 ms", "errors 100.0% as 502", "unhealthy");

        HttpResponse<String> failing = producer.get("/users/1");
        assertThat(failing.statusCode()).isEqualTo(502);
        assertThat(producer.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
    }

    @Test
    void putReplacesEverythingAndDeleteClears() {
        producer.send("PATCH", "/admin/faults?errorRate=1&latencyMs=50", null, TOKEN);
        JsonNode replaced = json(producer.send("PUT", "/admin/faults", "{\"unhealthy\": true}", TOKEN));
        assertThat(replaced.get("errorRate").asDouble()).isZero();
        assertThat(replaced.get("latencyMs").asLong()).isZero();
        assertThat(replaced.get("active").asString()).isEqualTo("unhealthy");
        assertThat(producer.get("/users/1").statusCode()).isEqualTo(200);

        JsonNode cleared = json(producer.send("DELETE", "/admin/faults", null, TOKEN));
        assertThat(cleared.get("active").asString()).isEqualTo("none");
        assertThat(producer.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void hangSetAtRunTimeIsLiftedThroughTheAdminEndpoint() {
        producer.send("PATCH", "/admin/faults?hang=true", null, TOKEN);
        var pending = producer.http().sendAsync(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(producer.baseUrl() + "/users/2")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(json(producer.get("/admin/faults")).get("hang").asBoolean()).isTrue();
        assertThat(pending).isNotDone();
        producer.send("PATCH", "/admin/faults?hang=false", null, TOKEN);
        await().atMost(Duration.ofSeconds(30)).until(pending::isDone);
        assertThat(pending.join().statusCode()).isEqualTo(200);
    }

    @Test
    void crashAfterRequestsSetAtRunTimeCountsFromThen() {
        producer.get("/users/1");
        producer.send("PATCH", "/admin/faults?crashAfter=2", null, TOKEN);
        producer.get("/users/1");
        producer.get("/users/1");
        assertThat(producer.exits()).isEmpty();
        producer.get("/users/1");
        assertThat(producer.exits()).containsExactly("1 crash fault: 2 requests served");
        producer.exits().clear();
    }

    @Test
    void crashOnDemandAnswersFirst() {
        HttpResponse<String> accepted = producer.send("POST", "/admin/crash", null, TOKEN);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(json(accepted).get("crashing").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !producer.exits().isEmpty());
        assertThat(producer.exits()).containsExactly("1 crash requested through /admin/crash");
        producer.exits().clear();
    }

    @Test
    void instanceParameterTargetsOneReplica() {
        assertProblem(producer.send("PATCH", "/admin/faults?instance=app1-b&latencyMs=500", null, TOKEN), 421,
                "this is replica app1-a, not app1-b");
        assertThat(json(producer.get("/admin/faults")).get("latencyMs").asLong()).as("unchanged").isZero();
        JsonNode changed = json(producer.send("PATCH", "/admin/faults?instance=app1-a&latencyMs=5", null, TOKEN));
        assertThat(changed.get("latencyMs").asLong()).isEqualTo(5);
    }

    @Test
    void badValuesAre400NamingTheField() {
        assertProblem(producer.send("PATCH", "/admin/faults?errorRate=2", null, TOKEN), 400, "errorRate");
        assertProblem(producer.send("PATCH", "/admin/faults?errorStatus=200", null, TOKEN), 400, "errorStatus");
        assertProblem(producer.send("PATCH", "/admin/faults?hang=maybe", null, TOKEN), 400, "hang");
        assertProblem(producer.send("PATCH", "/admin/faults", "{\"latency\": 5}", TOKEN), 400, "unknown field latency");
        assertThat(json(producer.get("/admin/faults")).get("active").asString()).isEqualTo("none");
    }

    @Test
    void disabledAdminEndpointIs404() {
        try (ProducerFixture locked = ProducerFixture.start(Map.of("FAULT_ADMIN_ENABLED", "false"))) {
            assertProblem(locked.get("/admin/faults"), 404, "FAULT_ADMIN_ENABLED=false");
            assertProblem(locked.send("DELETE", "/admin/faults", null, "X-Admin-Token", "switchboard"), 404,
                    "FAULT_ADMIN_ENABLED=false");
        }
    }
}

package dev.switchboard.producer;

import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ProducerFixture;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /instance} and {@code X-Instance}: how a student tells the replicas apart. */
class InstanceTest {

    @Test
    void reportsTheConfiguredIdentityAndCountsApplicationRequests() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("INSTANCE_NAME", "app1-replica-2",
                "INSTANCE_REPLICA", "2"))) {
            JsonNode first = json(producer.get("/instance"));
            assertThat(first.get("name").asString()).isEqualTo("app1-replica-2");
            assertThat(first.get("replica").asString()).isEqualTo("2");
            assertThat(first.get("address").asString()).isEqualTo("127.0.0.1");
            assertThat(first.get("port").asInt()).isEqualTo(producer.port());
            assertThat(first.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(Instant.parse(first.get("startedAt").asString())).isBefore(Instant.now());
            assertThat(first.get("uptimeMs").asLong()).isNotNegative();
            // The fixture's own embedded database (no SPRING_DATASOURCE_URL), and /instance says so: a grader tells it
            // from the db service's, without options or credentials.
            assertThat(first.get("database").asString()).startsWith("jdbc:h2:mem:producer_").doesNotContain(";");
            long before = first.get("requestsServed").asLong();

            producer.get("/users/1");
            producer.get("/users/999999");
            producer.get("/actuator/health");
            producer.get("/actuator/health/readiness");
            producer.get("/admin/faults");
            JsonNode after = json(producer.get("/instance"));
            // Counted: /users/1, /users/999999 and this /instance; not health checks or admin calls.
            assertThat(after.get("requestsServed").asLong()).isEqualTo(before + 3);
            assertThat(producer.get("/users/1").headers().firstValue("X-Instance")).hasValue("app1-replica-2");
        }
    }

    @Test
    void aReplicaGivenAVersionReportsItOnInstanceAndInEveryResponse() {
        try (ProducerFixture producer = ProducerFixture.start(Map.of("APP_VERSION", "green"))) {
            assertThat(json(producer.get("/instance")).get("version").asString()).isEqualTo("green");
            assertThat(producer.get("/users/1").headers().firstValue("X-Version")).hasValue("green");
            // Errors too: a blue/green check tells which release answered whatever the status.
            assertThat(producer.get("/users/999999").headers().firstValue("X-Version")).hasValue("green");
        }
        try (ProducerFixture producer = ProducerFixture.start()) {
            assertThat(json(producer.get("/instance")).get("version").isNull()).isTrue();
            assertThat(producer.get("/users/1").headers().firstValue("X-Version")).isEmpty();
        }
    }

    @Test
    void theDatabaseIsReportedWithoutCredentialsOrOptions() {
        assertThat(dev.switchboard.producer.instance.InstanceIdentity.database(
                "jdbc:mysql://root:secret@db:3306/users_db?user=root&password=root")).isEqualTo("jdbc:mysql://db:3306/users_db");
        assertThat(dev.switchboard.producer.instance.InstanceIdentity.database(
                "jdbc:h2:mem:users_db;MODE=MySQL;DATABASE_TO_LOWER=TRUE")).isEqualTo("jdbc:h2:mem:users_db");
        assertThat(dev.switchboard.producer.instance.InstanceIdentity.database(" ")).isNull();
    }

    @Test
    void withoutANameAReplicaBoundToOneAddressIsNamedByAddressAndPort() {
        try (ProducerFixture producer = ProducerFixture.start()) {
            String expected = "127.0.0.1:" + producer.port();
            assertThat(json(producer.get("/instance")).get("name").asString()).isEqualTo(expected);
            assertThat(producer.get("/users/1").headers().firstValue("X-Instance")).hasValue(expected);
        }
    }

    @Test
    void twoReplicasAnswerWithDifferentNames() {
        try (ProducerFixture a = ProducerFixture.start(); ProducerFixture b = ProducerFixture.start()) {
            assertThat(a.get("/users/1").headers().firstValue("X-Instance"))
                    .isNotEqualTo(b.get("/users/1").headers().firstValue("X-Instance"));
        }
    }
}

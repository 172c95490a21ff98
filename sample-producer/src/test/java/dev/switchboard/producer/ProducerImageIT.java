package dev.switchboard.producer;

import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.producer.testing.ContainerSetups;
import dev.switchboard.sampledb.testing.ContainerImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.mysql.MySQLContainer;
import tools.jackson.databind.JsonNode;

/**
 * The producer image built from sample-producer/Dockerfile, run as the handout's compose file runs it: on a
 * network with the database as {@code db}, configured by SPRING_DATASOURCE_URL/_USERNAME/_PASSWORD, named like
 * a compose replica ({@code <project>_app1_2}). Its container healthcheck must pass, and fail when it should.
 */
class ProducerImageIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Network network;
    private static MySQLContainer db;
    private static GenericContainer<?> producer;
    private static String containerName;

    @BeforeAll
    static void start() {
        ContainerImages.assumeDocker();
        network = Network.newNetwork();
        db = ContainerSetups.usersDb(network);
        db.start();
        containerName = "sbit" + UUID.randomUUID().toString().substring(0, 6) + "_app1_2";
        producer = new GenericContainer<>(ContainerSetups.producerImage())
                .withNetwork(network)
                .withCreateContainerCmdModifier(cmd -> cmd.withName(containerName))
                .withEnv("SPRING_DATASOURCE_URL", "jdbc:mysql://db:3306/users_db")
                .withEnv("SPRING_DATASOURCE_USERNAME", "root")
                .withEnv("SPRING_DATASOURCE_PASSWORD", ContainerSetups.DB_PASSWORD)
                .withExposedPorts(8081)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
        producer.start();
        System.out.println("[producer image] healthy on " + ContainerImages.java() + " with " + db.getDockerImageName());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.stop();
        }
        if (db != null) {
            db.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    private static HttpResponse<String> send(String method, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + producer.getHost() + ":"
                + producer.getMappedPort(8081) + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String health() {
        return DockerClientFactory.instance().client().inspectContainerCmd(producer.getContainerId()).exec()
                .getState().getHealth().getStatus();
    }

    @Test
    void servesTheSeededUsersFromMySql() throws Exception {
        HttpResponse<String> response = send("GET", "/users/4");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("name").asString()).isEqualTo("Edsger Dijkstra");
        JsonNode db = json(send("GET", "/actuator/health/readiness")).get("components").get("db");
        assertThat(db.get("details").get("database").asString()).isIn("MySQL", "MariaDB");
    }

    @Test
    void knowsItsContainerAndReplicaNumber() throws Exception {
        String shortId = producer.getContainerId().substring(0, 12);
        JsonNode instance = json(send("GET", "/instance"));
        assertThat(instance.get("name").asString()).isEqualTo(shortId);
        assertThat(instance.get("containerId").asString()).isEqualTo(shortId);
        assertThat(instance.get("port").asInt()).isEqualTo(8081);
        await().atMost(Duration.ofSeconds(30)).until(() -> !json(send("GET", "/instance")).get("replica").isNull());
        instance = json(send("GET", "/instance"));
        assertThat(instance.get("containerName").asString()).isEqualTo(containerName);
        assertThat(instance.get("replica").asString()).isEqualTo("2");
        assertThat(send("GET", "/users/1").headers().firstValue("X-Instance")).hasValue(shortId);
    }

    @Test
    void healthcheckFollowsReadiness() throws Exception {
        assertThat(health()).isEqualTo("healthy");
        HttpResponse<String> set = send("PATCH", "/admin/faults?unhealthy=true", "X-Admin-Token", "switchboard");
        assertThat(set.statusCode()).isEqualTo(200);
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> health().equals("unhealthy"));
        } finally {
            send("DELETE", "/admin/faults", "X-Admin-Token", "switchboard");
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> health().equals("healthy"));
    }
}

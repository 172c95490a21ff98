package dev.switchboard.producer;

import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ContainerSetups;
import dev.switchboard.sampledb.testing.ContainerImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.mysql.MySQLContainer;
import tools.jackson.databind.JsonNode;

/**
 * The handout's topology from the two Dockerfiles: the proxy container as {@code reverse-proxy} (file
 * provider, PathPrefix routers with StripPrefix), two app1 replicas and one app2 replica of the producer, and
 * the database as {@code db}, all on one network. Traffic enters through the proxy's published port only.
 */
class CourseTopologyIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String DYNAMIC = """
            http:
              routers:
                app1:
                  rule: "Host(`app1.localhost`) || PathPrefix(`/app1`)"
                  middlewares: [app1-strip]
                  service: app1
                app2:
                  rule: "PathPrefix(`/app2`)"
                  middlewares: [app2-strip]
                  service: app2
              middlewares:
                app1-strip:
                  stripPrefix:
                    prefixes: [/app1]
                app2-strip:
                  stripPrefix:
                    prefixes: [/app2]
              services:
                app1:
                  loadBalancer:
                    servers:
                      - url: "http://app1-1:8081"
                      - url: "http://app1-2:8081"
                app2:
                  loadBalancer:
                    servers:
                      - url: "http://app2-1:8081"
            """;
    private static final List<GenericContainer<?>> containers = new ArrayList<>();
    private static Network network;
    private static GenericContainer<?> proxy;

    @BeforeAll
    static void start() {
        ContainerImages.assumeDocker();
        ImageFromDockerfile producerImage = ContainerSetups.producerImage();
        ImageFromDockerfile proxyImage = ContainerSetups.proxyImage();
        network = Network.newNetwork();
        MySQLContainer db = ContainerSetups.usersDb(network);
        db.start();
        containers.add(db);
        for (String alias : List.of("app1-1", "app1-2", "app2-1")) {
            GenericContainer<?> replica = new GenericContainer<>(producerImage)
                    .withNetwork(network)
                    .withNetworkAliases(alias)
                    .withEnv("SPRING_DATASOURCE_URL", "jdbc:mysql://db:3306/users_db")
                    .withEnv("SPRING_DATASOURCE_USERNAME", "root")
                    .withEnv("SPRING_DATASOURCE_PASSWORD", ContainerSetups.DB_PASSWORD)
                    .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
            containers.add(replica);
        }
        containers.subList(1, containers.size()).parallelStream().forEach(GenericContainer::start);
        proxy = new GenericContainer<>(proxyImage)
                .withNetwork(network)
                .withNetworkAliases("reverse-proxy")
                .withCopyToContainer(Transferable.of(DYNAMIC), "/etc/switchboard/dynamic.yml")
                .withCommand("--entrypoints.web.address=:80", "--ping=true", "--accesslog=true",
                        "--providers.file.filename=/etc/switchboard/dynamic.yml")
                .withExposedPorts(80)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
        proxy.start();
        containers.add(proxy);
    }

    @AfterAll
    static void stop() {
        for (int i = containers.size() - 1; i >= 0; i--) {
            containers.get(i).stop();
        }
        if (network != null) {
            network.close();
        }
    }

    private static HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + proxy.getHost() + ":"
                + proxy.getMappedPort(80) + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void proxyContainerIsHealthy() {
        assertThat(DockerClientFactory.instance().client().inspectContainerCmd(proxy.getContainerId()).exec()
                .getState().getHealth().getStatus()).isEqualTo("healthy");
    }

    @Test
    void requestsToApp1AreSpreadOverItsReplicas() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get("/app1/users/1");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("name").asString()).isEqualTo("Ada Lovelace");
            seen.add(response.headers().firstValue("X-Instance").orElseThrow());
        }
        assertThat(seen).hasSize(2);
        assertThat(get("/users/1", "Host", "app1.localhost").statusCode()).as("the Host rule").isEqualTo(200);
    }

    @Test
    void app1CallsApp2AtHttpReverseProxySlashApp2() throws Exception {
        // No REVERSE_PROXY_URL set: the default http://reverse-proxy is the proxy container's network alias.
        HttpResponse<String> response = get("/app1/call/app2/instance");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.get("target").asString()).isEqualTo("http://reverse-proxy/app2/instance");
        JsonNode call = report.get("calls").get(0);
        assertThat(call.get("status").asInt()).isEqualTo(200);
        assertThat(call.get("instance").asString()).isEqualTo(call.get("body").get("name").asString());
        assertThat(report.get("caller").asString()).isNotEqualTo(call.get("instance").asString());
    }

    @Test
    void linksFromBehindTheProxyKeepThePrefix() throws Exception {
        HttpResponse<String> found = get("/app1/users/lookup?email=grace.hopper@example.org");
        assertThat(found.statusCode()).isEqualTo(303);
        String location = found.headers().firstValue("Location").orElseThrow();
        assertThat(URI.create(location).getPath()).isEqualTo("/app1/users/3");
    }
}

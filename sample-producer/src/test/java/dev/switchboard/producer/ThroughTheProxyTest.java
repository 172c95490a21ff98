package dev.switchboard.producer;

import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.producer.testing.ProducerFixture;
import dev.switchboard.proxy.SwitchboardProxy;
import dev.switchboard.proxy.config.StaticConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The course's topology in one JVM, with the real Switchboard proxy: routers {@code PathPrefix(/app1)} and
 * {@code PathPrefix(/app2)} with StripPrefix, app1 one replica, app2 two. Checks the two patterns the handout
 * teaches: load balancing seen through {@code X-Instance}, and a service calling another through
 * {@code http://reverse-proxy/app2/...} (here the proxy's loopback address), with links that keep the prefix.
 */
class ThroughTheProxyTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path dir;
    private static SwitchboardProxy proxy;
    private static final List<ProducerFixture> producers = new ArrayList<>();
    private static String proxyUrl;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("producer-proxy-test");
        Path dynamic = dir.resolve("dynamic.yml");
        Files.writeString(dynamic, "http: {}\n");
        proxy = new SwitchboardProxy(StaticConfigLoader.load(List.of("--entrypoints.web.address=127.0.0.1:0",
                "--providers.file.filename=" + dynamic)));
        proxy.start();
        proxyUrl = "http://127.0.0.1:" + proxy.port("web");

        ProducerFixture app1 = ProducerFixture.start(Map.of("INSTANCE_NAME", "app1-a", "REVERSE_PROXY_URL", proxyUrl));
        ProducerFixture app2a = ProducerFixture.start(Map.of("INSTANCE_NAME", "app2-a"));
        ProducerFixture app2b = ProducerFixture.start(Map.of("INSTANCE_NAME", "app2-b"));
        producers.addAll(List.of(app1, app2a, app2b));
        Files.writeString(dynamic, """
                http:
                  routers:
                    app1:
                      rule: "PathPrefix(`/app1`)"
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
                          - url: "%s"
                    app2:
                      loadBalancer:
                        servers:
                          - url: "%s"
                          - url: "%s"
                """.formatted(app1.baseUrl(), app2a.baseUrl(), app2b.baseUrl()));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                get("/app1/instance").statusCode() == 200 && get("/app2/instance").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws IOException {
        producers.forEach(ProducerFixture::close);
        if (proxy != null) {
            proxy.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(proxyUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loadBalancingIsVisibleInXInstance() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get("/app2/users/1");
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(response.headers().firstValue("X-Instance").orElseThrow());
        }
        assertThat(seen).containsExactlyInAnyOrder("app2-a", "app2-b");
    }

    @Test
    void oneServiceCallsAnotherThroughTheProxyByPathPrefix() throws Exception {
        HttpResponse<String> response = get("/app1/call/app2/instance?times=4");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Instance")).hasValue("app1-a");
        JsonNode report = json(response);
        assertThat(report.get("caller").asString()).isEqualTo("app1-a");
        assertThat(report.get("target").asString()).isEqualTo(proxyUrl + "/app2/instance");
        JsonNode answeredBy = report.get("answeredBy");
        assertThat(answeredBy.get("app2-a").asInt() + answeredBy.get("app2-b").asInt()).isEqualTo(4);
        for (JsonNode call : report.get("calls")) {
            assertThat(call.get("status").asInt()).isEqualTo(200);
            // The body is the other replica's /instance, parsed: its name matches the header.
            assertThat(call.get("body").get("name").asString()).isEqualTo(call.get("instance").asString());
        }
    }

    @Test
    void callsPassPathAndQueryOn() throws Exception {
        JsonNode report = json(get("/app1/call/app2/users?limit=2&times=1"));
        assertThat(report.get("target").asString()).isEqualTo(proxyUrl + "/app2/users?limit=2");
        assertThat(report.get("calls").get(0).get("body").size()).isEqualTo(2);
    }

    @Test
    void aCallToAnUnroutedPrefixReportsTheProxysAnswer() throws Exception {
        HttpResponse<String> response = get("/app1/call/app9/instance");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode call = json(response).get("calls").get(0);
        assertThat(call.get("status").asInt()).isEqualTo(404);
        assertThat(call.get("instance").isNull()).isTrue();
    }

    @Test
    void locationOfAUserCreatedThroughTheProxyLeadsBackThroughIt() throws Exception {
        String email = "via.proxy." + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(proxyUrl + "/app1/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Via Proxy\",\"email\":\"" + email + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        long id = json(created).get("id").asLong();
        assertThat(location).isEqualTo(proxyUrl + "/app1/users/" + id);
        HttpResponse<String> fetched = HTTP.send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched).get("email").asString()).isEqualTo(email);
    }

    @Test
    void indexThroughTheProxyLinksThroughTheProxy() throws Exception {
        JsonNode links = json(get("/app2/")).get("links");
        assertThat(links.get("users").asString()).isEqualTo(proxyUrl + "/app2/users");
    }
}

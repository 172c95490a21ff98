package dev.switchboard.producer;

import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ProducerFixture;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Behind the proxy: Traefik's StripPrefix removes {@code /app1} and sends it on as X-Forwarded-Prefix, with
 * X-Forwarded-Host/-Proto/-Port for what the client used. Links and redirects the producer builds must point
 * back through the proxy, prefix included, or the client's next request misses the router.
 */
class ForwardedPrefixTest {
    private static final String[] BEHIND_PROXY = {
            "X-Forwarded-Prefix", "/app1",
            "X-Forwarded-Host", "localhost",
            "X-Forwarded-Proto", "http",
            "X-Forwarded-For", "172.18.0.1"};

    private static ProducerFixture producer;

    @BeforeAll
    static void start() {
        producer = ProducerFixture.start();
    }

    @AfterAll
    static void stop() {
        producer.close();
    }

    @Test
    void createdLocationKeepsThePrefix() {
        String email = "prefix." + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        HttpResponse<String> created = producer.send("POST", "/users",
                "{\"name\":\"Behind Proxy\",\"email\":\"" + email + "\"}", BEHIND_PROXY);
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("http://localhost/app1/users/" + id);
    }

    @Test
    void redirectKeepsThePrefix() {
        HttpResponse<String> found = producer.get("/users/lookup?email=ada.lovelace@example.org", BEHIND_PROXY);
        assertThat(found.statusCode()).isEqualTo(303);
        assertThat(found.headers().firstValue("Location")).hasValue("http://localhost/app1/users/1");
    }

    @Test
    void indexLinksKeepPrefixSchemeAndPort() {
        JsonNode links = json(producer.get("/", "X-Forwarded-Prefix", "/api/app1", "X-Forwarded-Host", "example.test",
                "X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443")).get("links");
        assertThat(links.get("users").asString()).isEqualTo("https://example.test:8443/api/app1/users");
        assertThat(links.get("instance").asString()).isEqualTo("https://example.test:8443/api/app1/instance");
    }

    @Test
    void withoutForwardedHeadersLinksPointAtTheReplicaItself() {
        JsonNode links = json(producer.get("/")).get("links");
        assertThat(links.get("users").asString()).isEqualTo(producer.baseUrl() + "/users");
        HttpResponse<String> found = producer.get("/users/lookup?email=ada.lovelace@example.org");
        assertThat(found.headers().firstValue("Location")).hasValue(producer.baseUrl() + "/users/1");
    }

    @Test
    void prefixDoesNotChangeWhatIsServed() {
        // The proxy stripped /app1: the producer serves /users/2 and only uses the prefix for links.
        HttpResponse<String> response = producer.get("/users/2", BEHIND_PROXY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("name").asString()).isEqualTo("Alan Turing");
    }
}

package dev.switchboard.producer;

import static dev.switchboard.producer.testing.ProducerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ProducerFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * The users API as a client sees it, over HTTP. Run against the embedded database ({@link UsersApiTest}) and a
 * real MySQL-compatible server ({@code UsersApiMySqlIT}): the same behaviour on both.
 *
 * <p>Tests read the seeded users (ids 1 to 6) and create their own users with unique e-mail addresses, so they
 * do not depend on one another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UsersApiContract {

    abstract ProducerFixture producer();

    private static String unique(String name) {
        return name + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private static String body(String name, String email) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}";
    }

    private JsonNode create(String name, String email) {
        HttpResponse<String> created = producer().send("POST", "/users", body(name, email));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    static void assertProblem(HttpResponse<String> response, int status, String detailContains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).contains(detailContains);
    }

    @Test
    void listsTheSeededUsersInIdOrder() {
        HttpResponse<String> response = producer().get("/users?limit=6");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        List<String> names = new ArrayList<>();
        json(response).forEach(user -> names.add(user.get("id").asLong() + " " + user.get("name").asString()));
        assertThat(names).containsExactly("1 Ada Lovelace", "2 Alan Turing", "3 Grace Hopper",
                "4 Edsger Dijkstra", "5 Barbara Liskov", "6 Leslie Lamport");
    }

    @Test
    void listPagesWithLimitAndOffset() {
        JsonNode page = json(producer().get("/users?limit=2&offset=2"));
        assertThat(page.size()).isEqualTo(2);
        assertThat(page.get(0).get("id").asLong()).isEqualTo(3);
        assertThat(page.get(1).get("id").asLong()).isEqualTo(4);
        assertProblem(producer().get("/users?limit=0"), 400, "");
        assertProblem(producer().get("/users?limit=5000"), 400, "");
    }

    @Test
    void getsOneUser() {
        HttpResponse<String> response = producer().get("/users/3");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode user = json(response);
        assertThat(user.get("id").asLong()).isEqualTo(3);
        assertThat(user.get("name").asString()).isEqualTo("Grace Hopper");
        assertThat(user.get("email").asString()).isEqualTo("grace.hopper@example.org");
        assertThat(Instant.parse(user.get("createdAt").asString())).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void unknownIdIs404Problem() {
        assertProblem(producer().get("/users/987654"), 404, "no user with id 987654");
        assertProblem(producer().send("PUT", "/users/987654", body("Nobody", unique("nobody"))), 404, "987654");
        assertProblem(producer().send("DELETE", "/users/987654", null), 404, "987654");
    }

    @Test
    void malformedIdIs400Problem() {
        assertProblem(producer().get("/users/abc"), 400, "");
    }

    @Test
    void createAnswers201WithLocationOfTheNewUser() {
        String email = unique("ken.thompson");
        HttpResponse<String> created = producer().send("POST", "/users", body("Ken Thompson", email));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode user = json(created);
        long id = user.get("id").asLong();
        assertThat(id).isGreaterThan(6);
        assertThat(user.get("email").asString()).isEqualTo(email);
        URI location = URI.create(created.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).isEqualTo(producer().baseUrl() + "/users/" + id);
        JsonNode fetched = json(producer().get(location.getPath()));
        assertThat(fetched.get("name").asString()).isEqualTo("Ken Thompson");
    }

    @Test
    void invalidBodiesAre400ProblemsListingEachField() {
        HttpResponse<String> response = producer().send("POST", "/users", body("", "not-an-address"));
        assertProblem(response, 400, "email");
        List<String> fields = new ArrayList<>();
        json(response).get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactly("email", "name");

        assertProblem(producer().send("POST", "/users", body("x".repeat(101), unique("long"))), 400, "name");
        assertProblem(producer().send("POST", "/users", "{\"name\":\"Only Name\"}"), 400, "email");
        assertProblem(producer().send("POST", "/users", "{not json"), 400, "");
    }

    @Test
    void takenEmailIs409Problem() {
        String email = unique("dup");
        create("First", email);
        assertProblem(producer().send("POST", "/users", body("Second", email)), 409, "already exists");
        long other = create("Other", unique("other")).get("id").asLong();
        assertProblem(producer().send("PUT", "/users/" + other, body("Other", email)), 409, "already exists");
    }

    @Test
    void updateReplacesNameAndEmail() {
        JsonNode created = create("Before", unique("before"));
        long id = created.get("id").asLong();
        String email = unique("after");
        HttpResponse<String> updated = producer().send("PUT", "/users/" + id, body("After", email));
        assertThat(updated.statusCode()).isEqualTo(200);
        JsonNode user = json(updated);
        assertThat(user.get("name").asString()).isEqualTo("After");
        assertThat(user.get("email").asString()).isEqualTo(email);
        assertThat(Instant.parse(user.get("updatedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(created.get("createdAt").asString()));
        assertThat(json(producer().get("/users/" + id)).get("name").asString()).isEqualTo("After");
        assertProblem(producer().send("PUT", "/users/" + id, body("", email)), 400, "name");
    }

    @Test
    void deleteRemovesTheUser() {
        long id = create("Short Lived", unique("short")).get("id").asLong();
        HttpResponse<String> deleted = producer().send("DELETE", "/users/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertProblem(producer().get("/users/" + id), 404, "no user with id " + id);
        assertProblem(producer().send("DELETE", "/users/" + id, null), 404, "no user with id " + id);
    }

    @Test
    void lookupByEmailRedirectsToTheUser() {
        HttpResponse<String> found = producer().get("/users/lookup?email=alan.turing@example.org");
        assertThat(found.statusCode()).isEqualTo(303);
        assertThat(found.headers().firstValue("Location")).hasValue(producer().baseUrl() + "/users/2");
        assertProblem(producer().get("/users/lookup?email=nobody@example.org"), 404, "nobody@example.org");
    }

    @Test
    void everyResponseNamesTheInstance() {
        for (HttpResponse<String> response : List.of(producer().get("/users/1"), producer().get("/users/987654"),
                producer().get("/no/such/path"), producer().send("DELETE", "/users", null),
                producer().get("/actuator/health"))) {
            assertThat(response.headers().firstValue("X-Instance")).as(response.uri() + " " + response.statusCode())
                    .hasValue(json(producer().get("/instance")).get("name").asString());
        }
        assertProblem(producer().get("/no/such/path"), 404, "");
        assertThat(producer().send("DELETE", "/users", null).statusCode()).isEqualTo(405);
    }
}

package dev.switchboard.lab.grading.labs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.grading.LabSuite;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;

/**
 * Lab 1, first routes: a router with a {@code Host} rule to the producer, seen on the dashboard's
 * API and in the access log.
 */
public final class Lab1FirstRoutes implements LabSuite {
    static final String HOST = "app1.localhost";
    static final String ROUTER = "app1@docker";

    @Override
    public String lab() {
        return "lab1";
    }

    @Override
    public String title() {
        return "First routes";
    }

    @Override
    public List<Check> checks() {
        return List.of(
                new Check("dashboard-api", "The dashboard's API answers on port 8080", 5,
                        "start the reverse-proxy with --api.insecure=true and publish port 8080 (ports: \"8080:8080\")",
                        lab -> {
                            JsonNode overview = lab.api("/api/overview");
                            lab.note("routers: " + overview.path("http").path("routers").path("total").asInt());
                        }),
                new Check("app1-discovered", "The proxy discovered app1 and has a router for it", 15,
                        "the proxy ignores containers without traefik.enable=true (exposedByDefault is false); "
                                + "add it and a router label traefik.http.routers.app1.rule=... to app1",
                        lab -> {
                            JsonNode router = Labs.router(lab, ROUTER);
                            if (!"enabled".equals(router.path("status").asText())) {
                                throw new CheckFailed("router " + ROUTER + " is " + router.path("status").asText() + ": "
                                        + router.path("error"));
                            }
                            lab.note("rule " + router.path("rule").asText());
                        }).requires("dashboard-api").about("routers/" + ROUTER),
                new Check("host-routes-to-app1", "Requests for app1.localhost reach app1", 20,
                        "the rule must be Host(`app1.localhost`); remember that the request must carry that Host "
                                + "header (curl -H 'Host: app1.localhost' http://localhost/)",
                        lab -> {
                            ContentResponse r = lab.get(HOST, "/instance");
                            if (r.getStatus() == 404 && r.getHeaders().get("X-Instance") == null) {
                                throw new CheckFailed("GET /instance with Host: " + HOST + " answered 404 from the proxy: no "
                                        + "router matched", Labs.routerProblem(lab, ROUTER).filter(p -> p.contains(" has the rule ")).orElse(null));
                            }
                            Labs.expectProducer(lab, r, "GET /instance with Host: " + HOST, ROUTER);
                            lab.note("answered by " + LabContext.instance(r));
                        }).about("routers/" + ROUTER),
                new Check("users-from-database", "app1 answers /users from the db service's database", 20,
                        "app1 must reach the database: keep SPRING_DATASOURCE_URL=jdbc:mysql://db:3306/users_db and both "
                                + "services on the same network",
                        Lab1FirstRoutes::usersFromDatabase).requires("host-routes-to-app1"),
                new Check("host-rule-only", "Requests for another host are not sent to app1 (404)", 10,
                        "the rule should match only the host app1.localhost: Host(`app1.localhost`), not a rule that matches everything",
                        lab -> {
                            ContentResponse other = lab.get("other.localhost", "/instance");
                            if (other.getStatus() != 404) {
                                throw new CheckFailed("GET /instance with Host: other.localhost answered " + other.getStatus()
                                        + " instead of 404", Labs.routerProblem(lab, ROUTER).map(p -> p.replace(
                                                ", which this request does not match", ", which matches other hosts too"))
                                        .orElse(null));
                            }
                        }).requires("host-routes-to-app1"),
                new Check("server-up", "The dashboard shows app1's server on port 8081, up", 10,
                        "the service port label must be the port the producer listens on inside its container: "
                                + "traefik.http.services.app1.loadbalancer.server.port=8081",
                        lab -> {
                            JsonNode service = Labs.serviceOfRouter(lab, ROUTER);
                            JsonNode status = service.path("serverStatus");
                            if (status.size() != 1) {
                                throw new CheckFailed("service " + service.path("name").asText() + " has " + status.size()
                                        + " servers: " + status);
                            }
                            String url = status.fieldNames().next();
                            if (!url.endsWith(":" + Labs.PRODUCER_PORT)) {
                                throw new CheckFailed("the server is " + url + " (" + status.get(url).asText() + ")",
                                        Labs.portHint(url));
                            }
                            if (!"UP".equals(status.get(url).asText())) {
                                throw new CheckFailed("the server is " + url + " (" + status.get(url).asText() + ")");
                            }
                            lab.note(url + " UP");
                        }).requires("app1-discovered").about("routers/" + ROUTER),
                new Check("access-log", "The access log records each request", 20,
                        "turn on the access log with --accesslog=true in the reverse-proxy's command; each line ends with "
                                + "the router and the server that answered",
                        lab -> {
                            String path = "/access-log-check-" + Long.toHexString(System.nanoTime());
                            lab.get(HOST, path);
                            boolean seen = LabContext.eventually(Duration.ofSeconds(5), () -> Labs.accessLog(lab).lines()
                                    .anyMatch(l -> l.contains("\"GET " + path + " HTTP/1.1\"")));
                            if (!seen) {
                                throw new CheckFailed("no access log line for GET " + path + " in the proxy's output");
                            }
                        }));
    }

    /**
     * The users come from the compose service {@code db}: the replica that answers says which database it
     * uses ({@code database} on {@code /instance}: the producer falls back to an embedded one when it has
     * no {@code SPRING_DATASOURCE_URL}, with the same seeded users), and that database has the seeded users.
     */
    private static void usersFromDatabase(LabContext lab) throws Exception {
        ContentResponse instance = lab.get(HOST, "/instance");
        Labs.expectProducer(lab, instance, "GET /instance with Host: " + HOST, ROUTER);
        String database = Labs.JSON.readTree(instance.getContentAsString()).path("database").asText("");
        String host = Labs.databaseHost(database);
        if (host == null || !lab.topology().compose().services().containsKey(host)) {
            throw new CheckFailed("app1 (" + LabContext.instance(instance) + ") uses the database " + (database.isEmpty()
                    ? "(not reported)" : database) + ", not the compose service db",
                    database.startsWith("jdbc:h2:") ? "app1 runs on its embedded database because it has no SPRING_DATASOURCE_URL: "
                            + "give app1 the environment SPRING_DATASOURCE_URL: jdbc:mysql://db:3306/users_db (with "
                            + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD)"
                            : "SPRING_DATASOURCE_URL must name the database service: jdbc:mysql://db:3306/users_db");
        }
        ContentResponse r = lab.get(HOST, "/users?limit=10");
        if (r.getStatus() == 503 && r.getHeaders().get("X-Instance") != null) {
            throw new CheckFailed("GET /users answered 503 from app1 (" + LabContext.instance(r) + "): it cannot reach " + database
                    + ": " + Labs.shorten(r.getContentAsString()),
                    "app1 and " + host + " must share a network (networks: - shared-network on both), and the user and password "
                            + "must be the database's (SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD)");
        }
        Labs.expectProducer(lab, r, "GET /users with Host: " + HOST, ROUTER);
        if (!r.getContentAsString().contains("Ada Lovelace")) {
            throw new CheckFailed("GET /users answered " + Labs.shorten(r.getContentAsString()) + " from " + database
                    + ", without the seeded users");
        }
        lab.note("users from " + database);
    }
}

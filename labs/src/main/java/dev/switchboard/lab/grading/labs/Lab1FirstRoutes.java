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
                            JsonNode router = Labs.router(lab, "app1@docker");
                            if (!"enabled".equals(router.path("status").asText())) {
                                throw new CheckFailed("router app1@docker is " + router.path("status").asText() + ": "
                                        + router.path("error"), "read the router's error on the dashboard (port 8080) and fix that label");
                            }
                            lab.note("rule " + router.path("rule").asText());
                        }),
                new Check("host-routes-to-app1", "Requests for app1.localhost reach app1", 20,
                        "the rule must be Host(`app1.localhost`); remember that the request must carry that Host "
                                + "header (curl -H 'Host: app1.localhost' http://localhost/)",
                        lab -> {
                            ContentResponse r = lab.get(HOST, "/instance");
                            Labs.expectProducer(r, "GET /instance with Host: " + HOST);
                            lab.note("answered by " + LabContext.instance(r));
                        }),
                new Check("users-from-database", "app1 answers /users from the database", 20,
                        "app1 must reach the database: keep SPRING_DATASOURCE_URL=jdbc:mysql://db:3306/users_db and both "
                                + "services on the same network",
                        lab -> {
                            ContentResponse r = lab.get(HOST, "/users?limit=10");
                            Labs.expectProducer(r, "GET /users with Host: " + HOST);
                            if (!r.getContentAsString().contains("Ada Lovelace")) {
                                throw new CheckFailed("GET /users answered " + Labs.shorten(r.getContentAsString())
                                        + ", without the seeded users");
                            }
                        }).requires("host-routes-to-app1"),
                new Check("host-rule-only", "Requests for another host are not sent to app1 (404)", 10,
                        "the rule should match only the host app1.localhost: Host(`app1.localhost`), not a rule that matches everything",
                        lab -> {
                            ContentResponse other = lab.get("other.localhost", "/instance");
                            if (other.getStatus() != 404) {
                                throw new CheckFailed("GET /instance with Host: other.localhost answered " + other.getStatus()
                                        + " instead of 404");
                            }
                        }).requires("host-routes-to-app1"),
                new Check("server-up", "The dashboard shows app1's server on port 8081, up", 10,
                        "the service port label must be the port the producer listens on inside its container: "
                                + "traefik.http.services.app1.loadbalancer.server.port=8081",
                        lab -> {
                            JsonNode service = Labs.serviceOfRouter(lab, "app1@docker");
                            JsonNode status = service.path("serverStatus");
                            if (status.size() != 1) {
                                throw new CheckFailed("service " + service.path("name").asText() + " has " + status.size()
                                        + " servers: " + status);
                            }
                            String url = status.fieldNames().next();
                            if (!url.endsWith(":8081") || !"UP".equals(status.get(url).asText())) {
                                throw new CheckFailed("the server is " + url + " (" + status.get(url).asText() + ")");
                            }
                            lab.note(url + " UP");
                        }).requires("app1-discovered"),
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
}

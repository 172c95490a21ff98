package dev.switchboard.lab.grading.mutations;

import java.util.List;

/** Lab 1's mistakes: each costs exactly its checks, and the first hint names it. */
class Lab1MutationsTest extends MutationTable {

    static final List<Mutation> TABLE = List.of(
            Mutation.of("no traefik.enable=true")
                    .replace("      - \"traefik.enable=true\"\n", "")
                    .loses("app1-discovered", "host-routes-to-app1", "users-from-database", "host-rule-only", "server-up")
                    .hint("traefik.enable=true"),
            Mutation.of("router label typo: traefik.http.router.app1.rule")
                    .replace("traefik.http.routers.app1.rule", "traefik.http.router.app1.rule")
                    .loses("app1-discovered", "host-routes-to-app1", "users-from-database", "host-rule-only", "server-up")
                    .hint("unknown label traefik.http.router"),
            Mutation.of("the port label says 8080, the dashboard's port")
                    .replace("loadbalancer.server.port=8081", "loadbalancer.server.port=8080")
                    .loses("host-routes-to-app1", "users-from-database", "host-rule-only", "server-up")
                    .hint("port 8080"),
            Mutation.of("host typo in the rule: app1.local")
                    .replace("Host(`app1.localhost`)", "Host(`app1.local`)")
                    .loses("host-routes-to-app1", "users-from-database", "host-rule-only")
                    .hint("Host(`app1.local`)"),
            Mutation.of("single quotes in the rule")
                    .replace("Host(`app1.localhost`)", "Host('app1.localhost')")
                    .loses("app1-discovered", "host-routes-to-app1", "users-from-database", "host-rule-only", "server-up")
                    .hint("disabled"),
            Mutation.of("a rule for every host: PathPrefix(`/`)")
                    .replace("Host(`app1.localhost`)", "PathPrefix(`/`)")
                    .loses("host-rule-only")
                    .hint("PathPrefix(`/`)"),
            Mutation.of("no database settings: the producer's embedded database")
                    .replace("    environment:\n      SPRING_DATASOURCE_URL: jdbc:mysql://db:3306/users_db\n"
                            + "      SPRING_DATASOURCE_USERNAME: root\n      SPRING_DATASOURCE_PASSWORD: root\n", "")
                    .loses("users-from-database")
                    .hint("embedded database"),
            Mutation.of("no --accesslog=true")
                    .replace("      - --accesslog=true\n", "")
                    .loses("access-log")
                    .hint("--accesslog=true"),
            Mutation.of("the labels written under environment:")
                    .replace("    labels:\n      - \"traefik.enable=true\"\n      - \"traefik.http.routers.app1.rule=Host(`app1.localhost`)\"\n"
                            + "      - \"traefik.http.services.app1.loadbalancer.server.port=8081\"\n", "")
                    .replace("      SPRING_DATASOURCE_PASSWORD: root\n", "      SPRING_DATASOURCE_PASSWORD: root\n"
                            + "      traefik.enable: \"true\"\n      traefik.http.routers.app1.rule: Host(`app1.localhost`)\n"
                            + "      traefik.http.services.app1.loadbalancer.server.port: \"8081\"\n")
                    .loses("app1-discovered", "host-routes-to-app1", "users-from-database", "host-rule-only", "server-up")
                    .hint("they are labels: move them under labels:"),
            Mutation.of("the dashboard's port 8080 not published")
                    .replace("      - \"8080:8080\"\n", "")
                    .loses("dashboard-api", "app1-discovered", "server-up")
                    .hint("publish port 8080"));

    @Override
    protected String lab() {
        return "lab1";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

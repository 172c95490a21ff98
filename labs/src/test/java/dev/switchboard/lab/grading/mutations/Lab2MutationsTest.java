package dev.switchboard.lab.grading.mutations;

import java.util.List;

/** Lab 2's mistakes: each costs exactly its checks, and the first hint names it. */
class Lab2MutationsTest extends MutationTable {
    private static final String WEIGHT = "      - \"traefik.http.services.app1.loadbalancer.server.weight=3\"\n";
    private static final String APP1_PORT = "      - \"traefik.http.services.app1.loadbalancer.server.port=8081\"\n";
    private static final String ALL_ROUTES = "traefik.http.routers.app1.rule=Host(`app1.localhost`)\"\n";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("replicas: 4 at the service's level instead of under deploy:")
                    .replace("    deploy:\n      replicas: 4\n", "    replicas: 4\n")
                    .rejected("deploy"),
            Mutation.of("three replicas instead of four")
                    .replace("      replicas: 4\n", "      replicas: 3\n")
                    .loses("app1-replicas")
                    .hint("replicas: 4"),
            Mutation.of("the weight on app1 instead of app1-large")
                    .replace(WEIGHT, "")
                    .replace(APP1_PORT + "\n", APP1_PORT + WEIGHT + "\n")
                    .loses("weighted-server")
                    .hint("in app1-large's labels, not app1's"),
            Mutation.of("no weight on app1-large")
                    .replace(WEIGHT, "")
                    .loses("weighted-server")
                    .hint("server.weight=3"),
            Mutation.of("weight 30 instead of 3")
                    .replace("server.weight=3", "server.weight=30")
                    .loses("weighted-server")
                    .hint("has weight 30"),
            Mutation.of("the weight one level up: loadbalancer.weight")
                    .replace("loadbalancer.server.weight=3", "loadbalancer.weight=3")
                    .loses("weighted-server")
                    .hint("loadbalancer.weight"),
            Mutation.of("app1-large's router with its own rule under app1's name")
                    .replaceRegex("(?s)(app1-large:.*?)Host\\(`app1\\.localhost`\\)", "$1Host(`large.localhost`)")
                    .loses("app1-routed", "app1-replicas", "round-robin", "weighted-server", "scale-down")
                    .hint("defined differently"),
            Mutation.of("app1-large without traefik.enable=true")
                    .replaceRegex("(?s)(app1-large:.*?)      - \"traefik.enable=true\"\n", "$1")
                    .loses("weighted-server")
                    .hint("traefik.enable=true"),
            Mutation.of("power of two choices instead of round robin")
                    .replaceAll(ALL_ROUTES, ALL_ROUTES + "      - \"traefik.http.services.app1.loadbalancer.strategy=p2c\"\n")
                    .loses("round-robin", "weighted-server")
                    .hint("strategy p2c"));

    @Override
    protected String lab() {
        return "lab2";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

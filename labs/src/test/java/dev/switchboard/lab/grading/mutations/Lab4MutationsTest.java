package dev.switchboard.lab.grading.mutations;

import java.util.List;

/** Lab 4's mistakes: each costs exactly its checks, and the first hint names it. */
class Lab4MutationsTest extends MutationTable {
    private static final String APP2_RULE = "traefik.http.routers.app2.rule=Host(`app2.localhost`) || PathPrefix(`/app2`)";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("one replica of app2")
                    .replace("      replicas: 2\n", "      replicas: 1\n")
                    .loses("call-balanced")
                    .hint("replicas: 2"),
            Mutation.of("app2's rule without PathPrefix(`/app2`)")
                    .replace("Host(`app2.localhost`) || PathPrefix(`/app2`)", "Host(`app2.localhost`)")
                    .loses("app2-prefix", "call-through-proxy", "call-balanced")
                    .hint("PathPrefix(`/app2`)"),
            Mutation.of("REVERSE_PROXY_URL is localhost")
                    .replace("REVERSE_PROXY_URL: http://reverse-proxy", "REVERSE_PROXY_URL: http://localhost")
                    .loses("call-through-proxy", "call-balanced")
                    .hint("inside a container localhost is the container itself"),
            Mutation.of("REVERSE_PROXY_URL names app2 itself: the call skips the proxy")
                    .replace("REVERSE_PROXY_URL: http://reverse-proxy", "REVERSE_PROXY_URL: http://app2:8081")
                    .loses("call-through-proxy", "call-balanced")
                    .hint("names app2 itself"),
            Mutation.of("REVERSE_PROXY_URL on the dashboard's port 8080")
                    .replace("REVERSE_PROXY_URL: http://reverse-proxy", "REVERSE_PROXY_URL: http://reverse-proxy:8080")
                    .loses("call-through-proxy", "call-balanced")
                    .hint("entry point web (port 80"),
            Mutation.of("app2 copies app1's router name")
                    .replace(APP2_RULE, APP2_RULE.replace("routers.app2.", "routers.app1."))
                    .replace("traefik.http.routers.app2.middlewares=app2-strip", "traefik.http.routers.app1.middlewares=app2-strip")
                    .loses("app1-prefix", "app2-host", "app2-prefix", "call-through-proxy", "call-balanced")
                    .hint("defined differently"),
            Mutation.of("app2's middleware defined but not attached")
                    .replace("      - \"traefik.http.routers.app2.middlewares=app2-strip\"\n", "")
                    .loses("app2-prefix", "call-through-proxy", "call-balanced")
                    .hint("not attached to the router app2"),
            Mutation.of("app2's port label says 8080")
                    .replace("traefik.http.services.app2.loadbalancer.server.port=8081",
                            "traefik.http.services.app2.loadbalancer.server.port=8080")
                    .loses("app2-host", "app2-prefix", "call-through-proxy", "call-balanced")
                    .hint("port 8080"),
            Mutation.of("the reverse-proxy off the services' network")
                    .replaceRegex("(?s)(  reverse-proxy:.*?)    networks:\n      - shared-network\n", "$1")
                    .loses("app1-prefix", "app2-host", "app2-prefix", "call-through-proxy", "call-balanced")
                    .hint("share a network"));

    @Override
    protected String lab() {
        return "lab4";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

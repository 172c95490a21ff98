package dev.switchboard.lab.grading.mutations;

import java.util.List;

/**
 * Lab 7's mistakes: each costs exactly its checks, and the first hint names it. Each route is graded
 * on its own, so a mistake in one costs only that route's points (issue 21, class 4).
 */
class Lab7MutationsTest extends MutationTable {
    private static final String HC = "traefik.http.services.app1-hc.loadbalancer.healthcheck.";

    static final List<Mutation> TABLE = List.of(
            // first: the build grades the first case of the table (MutationTable); this one does not depend on how busy
            // the machine is (the health-check cases measure a replica 400 ms late against a 200 ms timeout)
            Mutation.of("the sticky cookie on the round-robin service")
                    .replace("traefik.http.services.app1-sticky.loadbalancer.sticky.cookie.name=app1_sticky",
                            "traefik.http.services.app1-rr.loadbalancer.sticky.cookie.name=app1_sticky")
                    .loses("sticky")
                    .hint("sticky.cookie.name"),
            Mutation.of("the health check asks the readiness probe, which a slow replica answers at once")
                    .replace(HC + "path=/instance", HC + "path=/actuator/health/readiness")
                    .loses("health-timeout")
                    .hint("ask a page it serves late"),
            Mutation.of("the health check's timeout left at 5s")
                    .replace(HC + "timeout=200ms", HC + "timeout=5s")
                    .loses("health-timeout")
                    .hint("healthcheck.timeout=200ms"),
            Mutation.of("the health check every 30 s")
                    .replace(HC + "interval=1s", HC + "interval=30s")
                    .loses("health-timeout")
                    .hint("healthcheck.interval=1s"),
            Mutation.of("least response time (Traefik v3.6) instead of the health check")
                    .replace("      - \"" + HC + "path=/instance\"\n", "")
                    .replace("      - \"" + HC + "interval=1s\"\n", "")
                    .replace("      - \"" + HC + "timeout=200ms\"\n", "      - \"traefik.http.services.app1-hc.loadbalancer.strategy=leasttime\"\n")
                    .loses("health-timeout")
                    .hint("Traefik v3.6"),
            Mutation.of("the round-robin route without the strip middleware")
                    .replace("      - \"traefik.http.routers.rr.middlewares=algo-strip\"\n", "")
                    .loses("round-robin")
                    .hint("traefik.http.routers.rr.middlewares=algo-strip"),
            Mutation.of("the middleware does not strip /hc")
                    .replace("stripprefix.prefixes=/rr,/sticky,/hc", "stripprefix.prefixes=/rr,/sticky")
                    .loses("health-timeout")
                    .hint("not /hc"),
            Mutation.of("Path instead of PathPrefix for /hc")
                    .replace("traefik.http.routers.hc.rule=PathPrefix(`/hc`)", "traefik.http.routers.hc.rule=Path(`/hc`)")
                    .loses("health-timeout")
                    .hint("PathPrefix matches every path"),
            Mutation.of("the sticky service's port label says 8080")
                    .replace("traefik.http.services.app1-sticky.loadbalancer.server.port=8081",
                            "traefik.http.services.app1-sticky.loadbalancer.server.port=8080")
                    .loses("sticky")
                    .hint("port 8080"));

    @Override
    protected String lab() {
        return "lab7";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

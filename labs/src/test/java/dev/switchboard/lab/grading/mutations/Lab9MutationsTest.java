package dev.switchboard.lab.grading.mutations;

import java.util.List;

/**
 * Lab 9's mistakes, graded as Traefik v3.2 behaves: each costs exactly its checks, and the first hint
 * names it. The build grades the first case of each kind (a flag and a label mistake).
 */
class Lab9MutationsTest extends MutationTable {
    private static final String HC = "traefik.http.services.app1.loadbalancer.healthcheck.";
    private static final String BREAKER = "traefik.http.middlewares.app1-breaker.circuitbreaker.";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("metrics by router not turned on")
                    .replace("      - --metrics.prometheus.addRoutersLabels=true\n", "")
                    .loses("router-metrics")
                    .hint("--metrics.prometheus.addRoutersLabels=true"),
            Mutation.of("the circuit breaker defined but not attached")
                    .replace("traefik.http.routers.app1.middlewares=app1-strip,app1-breaker", "traefik.http.routers.app1.middlewares=app1-strip")
                    .loses("breaker-opens", "breaker-recovers")
                    .notChecked("breaker-recovers")
                    .hint("is defined but not attached to the router app1"),
            Mutation.of("the metrics moved to the web entry point")
                    .replace("      - --metrics.prometheus=true\n", "      - --metrics.prometheus=true\n"
                            + "      - --metrics.prometheus.entryPoint=web\n")
                    .loses("metrics-endpoint", "router-metrics", "failing-replica-found")
                    .hint("instead of port 8080"),
            Mutation.of("no health check")
                    .replace("      - \"" + HC + "path=/actuator/health/readiness\"\n", "")
                    .replace("      - \"" + HC + "interval=1s\"\n", "")
                    .replace("      - \"" + HC + "timeout=2s\"\n", "")
                    .loses("failing-replica-found")
                    .hint("has no health check"),
            Mutation.of("the health check every 30 s")
                    .replace(HC + "interval=1s", HC + "interval=30s")
                    .loses("failing-replica-found")
                    .hint("healthcheck.interval=1s"),
            Mutation.of("the breaker counts network errors, not the replicas' 500s")
                    .replace("ResponseCodeRatio(500, 600, 0, 600) > 0.30", "NetworkErrorRatio() > 0.30")
                    .loses("breaker-opens", "breaker-recovers")
                    .notChecked("breaker-recovers")
                    .hint("NetworkErrorRatio() counts only 502 and 504"),
            Mutation.of("the breaker's threshold written as a percentage: > 30")
                    .replace("ResponseCodeRatio(500, 600, 0, 600) > 0.30", "ResponseCodeRatio(500, 600, 0, 600) > 30")
                    .loses("breaker-opens", "breaker-recovers")
                    .notChecked("breaker-recovers")
                    .hint("so \"> 30\" does not hold"),
            Mutation.of("the breaker open a minute and recovering over a minute")
                    .replace(BREAKER + "fallbackDuration=5s", BREAKER + "fallbackDuration=60s")
                    .replace(BREAKER + "recoveryDuration=5s", BREAKER + "recoveryDuration=60s")
                    .loses("breaker-recovers")
                    .hint("fallbackDuration=5s and recoveryDuration=5s"));

    @Override
    protected String lab() {
        return "lab9";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

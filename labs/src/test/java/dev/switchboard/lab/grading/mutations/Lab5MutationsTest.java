package dev.switchboard.lab.grading.mutations;

import java.util.List;

/**
 * Lab 5's mistakes, graded as Traefik v3.2 behaves (the default profile): each costs exactly its checks,
 * and the first hint names it. A health check on a path the producer does not serve ends every later
 * check at once instead of letting each wait for servers that never come up (issue 21, class 6).
 */
class Lab5MutationsTest extends MutationTable {
    private static final String HC = "traefik.http.services.app1.loadbalancer.healthcheck.";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("two replicas instead of three")
                    .replace("      replicas: 3\n", "      replicas: 2\n")
                    .loses("three-replicas")
                    .hint("replicas: 3"),
            Mutation.of("the health check asks /instance, which says nothing about readiness")
                    .replace(HC + "path=/actuator/health/readiness", HC + "path=/instance")
                    .loses("unready-replica")
                    .hint("readiness probe, healthcheck.path=/actuator/health/readiness"),
            Mutation.of("a typo in the health check's path")
                    .replace(HC + "path=/actuator/health/readiness", HC + "path=/actuator/health/readyness")
                    .loses("three-replicas", "unready-replica", "hung-replica-out", "hung-replica-bounded", "kill-under-load")
                    .notChecked("unready-replica", "hung-replica-out", "hung-replica-bounded", "kill-under-load")
                    .hint("/actuator/health/readyness is not a page of the producer"),
            Mutation.of("the health check waits 30 s for an answer")
                    .replace(HC + "timeout=2s", HC + "timeout=30s")
                    .loses("hung-replica-out")
                    .hint("interval + timeout"),
            Mutation.of("no health check")
                    .replace("      - \"" + HC + "path=/actuator/health/readiness\"\n", "")
                    .replace("      - \"" + HC + "interval=1s\"\n", "")
                    .replace("      - \"" + HC + "timeout=2s\"\n", "")
                    .loses("unready-replica", "hung-replica-out")
                    .hint("has no health check"),
            Mutation.of("the retry middleware defined but not attached")
                    .replace("traefik.http.routers.app1.middlewares=app1-strip,app1-retry", "traefik.http.routers.app1.middlewares=app1-strip")
                    .loses("kill-under-load")
                    .hint("is defined but not attached to the router app1"),
            Mutation.of("retry with a single attempt")
                    .replace("retry.attempts=3", "retry.attempts=1")
                    .loses("kill-under-load")
                    .hint("retry.attempts=3"),
            Mutation.of("Switchboard's profile switched on in the compose file instead of the retry and the timeout")
                    .replace("      - --serversTransport.forwardingTimeouts.responseHeaderTimeout=3s\n", "")
                    .replace("traefik.http.routers.app1.middlewares=app1-strip,app1-retry", "traefik.http.routers.app1.middlewares=app1-strip")
                    .replace("    volumes:\n      - /var/run/docker.sock", "    environment:\n      SWITCHBOARD_PROFILE: switchboard\n"
                            + "    volumes:\n      - /var/run/docker.sock")
                    .rejected("graded as Traefik v3.2 behaves"),
            Mutation.of("no timeout for the servers' answers")
                    .replace("      - --serversTransport.forwardingTimeouts.responseHeaderTimeout=3s\n", "")
                    .loses("hung-replica-bounded")
                    .hint("responseHeaderTimeout"));

    @Override
    protected String lab() {
        return "lab5";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

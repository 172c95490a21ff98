package dev.switchboard.lab.grading.mutations;

import java.util.List;

/**
 * Lab 8's mistakes, graded as Traefik v3.2 behaves: each costs exactly its checks, and the first hint
 * names it. The build grades the first case of each kind (a topology and a dynamic-file mistake); the
 * graceful-stop and rolling-redeploy cases stop replicas under load and run with {@code -Dmutations=all}.
 */
class Lab8MutationsTest extends MutationTable {
    private static final String RELEASE = "dynamic.solution/release.yml";
    private static final String ROUTES = "dynamic.solution/routes.yml";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("green deployed with the release name of blue")
                    .replace("APP_VERSION: green", "APP_VERSION: blue")
                    .loses("releases-deployed")
                    .hint("APP_VERSION: green"),
            Mutation.of("the testers' router sends to blue")
                    .replaceIn(ROUTES, "service: app1-green@docker", "service: app1-blue@docker")
                    .loses("testers-on-green")
                    .hint("testers go to green, service: app1-green@docker"),
            Mutation.of("the testers' header value true instead of yes")
                    .replaceIn(ROUTES, "Header(`X-Tester`, `yes`)", "Header(`X-Tester`, `true`)")
                    .loses("testers-on-green")
                    .hint("the header's name and value"),
            Mutation.of("the weights the wrong way round: everyone on green before the switch")
                    .replaceIn(RELEASE, "weight: 1", "weight: 2")
                    .replaceIn(RELEASE, "weight: 0", "weight: 1")
                    .replaceIn(RELEASE, "weight: 2", "weight: 0")
                    .loses("blue-live", "switch-at-once", "graceful-stop", "rolling-redeploy")
                    .notChecked("switch-at-once", "graceful-stop", "rolling-redeploy")
                    .hint("weight 1 for app1-blue@docker and 0 for app1-green@docker"),
            Mutation.of("the file provider told not to watch its folder")
                    .replace("--providers.file.watch=true", "--providers.file.watch=false")
                    .loses("switch-at-once")
                    .hint("--providers.file.watch=true"),
            Mutation.of("blue stops at once when Docker stops it")
                    .replace("exiting.\n      SERVER_SHUTDOWN: graceful", "exiting.\n      SERVER_SHUTDOWN: immediate")
                    .loses("graceful-stop", "rolling-redeploy")
                    .notChecked("rolling-redeploy")
                    .hint("SERVER_SHUTDOWN: graceful finishes them first"),
            Mutation.of("the retry middleware defined but not attached to the router app1")
                    .replaceIn(ROUTES, "        - app1-retry\n      service: app1\n", "      service: app1\n")
                    .loses("rolling-redeploy")
                    .hint("is defined but not attached to the router app1"),
            Mutation.of("retry with a single attempt")
                    .replaceIn(ROUTES, "attempts: 3", "attempts: 1")
                    .loses("rolling-redeploy")
                    .hint("attempts: 1 never sends it again"));

    @Override
    protected String lab() {
        return "lab8";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

package dev.switchboard.lab.grading.mutations;

import java.util.List;

/** Lab 6's mistakes: each costs exactly its checks, and the first hint names it. */
class Lab6MutationsTest extends MutationTable {
    private static final String CANARY = "dynamic.solution/canary.yml";
    private static final String ROUTES = "dynamic.solution/routes.yml";
    private static final String FILE_CHECKS_BUT_VERSIONS = "file-provider canary-split sticky-version mirror live-reload";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("the proxy does not watch its files")
                    .replace("--providers.file.watch=true", "--providers.file.watch=false")
                    .loses("live-reload")
                    .hint("--providers.file.watch=true"),
            Mutation.of("the canary's service name with the wrong provider: app1-v2@file")
                    .replaceIn(CANARY, "name: app1-v2@docker", "name: app1-v2@file")
                    .loses(FILE_CHECKS_BUT_VERSIONS.split(" "))
                    .hint("app1-v2@file"),
            Mutation.of("the weights the other way round: 10/90")
                    .replaceIn(CANARY, "weight: 90", "weight: 9O")
                    .replaceIn(CANARY, "weight: 10", "weight: 90")
                    .replaceIn(CANARY, "weight: 9O", "weight: 10")
                    .loses("canary-split")
                    .hint("the other way round"),
            Mutation.of("the shadow mirrored at 10 percent")
                    .replaceIn(ROUTES, "percent: 100", "percent: 10")
                    .loses("mirror")
                    .hint("percent: 100"),
            Mutation.of("no sticky cookie on the canary")
                    .replaceIn(CANARY, "        sticky:\n          cookie:\n            name: app1_version\n            httpOnly: true\n", "")
                    .loses("sticky-version")
                    .hint("sticky: cookie:"),
            Mutation.of("a single | in the rule")
                    .replaceIn(ROUTES, "Host(`app1.localhost`) || PathPrefix(`/app1`)", "Host(`app1.localhost`) | PathPrefix(`/app1`)")
                    .loses(FILE_CHECKS_BUT_VERSIONS.split(" "))
                    .hint("disabled"),
            Mutation.of("the mirroring service names the canary with a typo")
                    .replaceIn(ROUTES, "service: app1-canary", "service: app1-canari")
                    .loses(FILE_CHECKS_BUT_VERSIONS.split(" "))
                    .hint("app1-canari"),
            Mutation.of("the dynamic folder mounted where the proxy does not look")
                    .replace("./dynamic.solution:/etc/switchboard/dynamic:ro", "./dynamic.solution:/etc/traefik/dynamic:ro")
                    .loses(FILE_CHECKS_BUT_VERSIONS.split(" "))
                    .hint("/etc/switchboard/dynamic"),
            Mutation.of("app1-v2 without traefik.enable=true")
                    .replaceRegex("(?s)(  app1-v2:.*?)      - \"traefik.enable=true\"\n", "$1")
                    .loses(("versions-from-docker " + FILE_CHECKS_BUT_VERSIONS).split(" "))
                    .hint("traefik.enable=true"));

    @Override
    protected String lab() {
        return "lab6";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

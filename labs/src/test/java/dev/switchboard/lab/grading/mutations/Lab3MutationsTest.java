package dev.switchboard.lab.grading.mutations;

import java.util.List;

/** Lab 3's mistakes: each costs exactly its checks, and the first hint names it. */
class Lab3MutationsTest extends MutationTable {
    private static final String STRIP = "      - \"traefik.http.middlewares.app1-strip.stripprefix.prefixes=/app1\"\n";
    private static final String ATTACH = "      - \"traefik.http.routers.app1.middlewares=app1-strip\"\n";
    private static final String RULE = "Host(`app1.localhost`) || PathPrefix(`/app1`)";

    static final List<Mutation> TABLE = List.of(
            Mutation.of("the middleware defined but not attached")
                    .replace(ATTACH, "")
                    .loses("prefix-stripped", "links-keep-prefix")
                    .hint("is defined but not attached to the router app1: add the label "
                            + "traefik.http.routers.app1.middlewares=app1-strip"),
            Mutation.of("the path rewritten (replacepathregex) instead of stripped")
                    .replace(STRIP, "      - \"traefik.http.middlewares.app1-strip.replacepathregex.regex=^/app1(.*)\"\n"
                            + "      - \"traefik.http.middlewares.app1-strip.replacepathregex.replacement=$$1\"\n")
                    .loses("links-keep-prefix")
                    .hint("X-Forwarded-Prefix"),
            Mutation.of("&& instead of ||")
                    .replace(RULE, "Host(`app1.localhost`) && PathPrefix(`/app1`)")
                    .loses("host-route", "prefix-route", "prefix-stripped", "links-keep-prefix", "prefix-only")
                    .hint("&& matches only requests that match both sides"),
            Mutation.of("the middleware strips /ap1")
                    .replace("stripprefix.prefixes=/app1", "stripprefix.prefixes=/ap1")
                    .loses("prefix-stripped", "links-keep-prefix")
                    .hint("not /app1"),
            Mutation.of("the router names a middleware with a typo")
                    .replace("routers.app1.middlewares=app1-strip", "routers.app1.middlewares=app1-strp")
                    .loses("host-route", "prefix-route", "prefix-stripped", "links-keep-prefix", "prefix-only")
                    .hint("app1-strp"),
            Mutation.of("a prefix rule for every path: PathPrefix(`/`)")
                    .replace(RULE, "Host(`app1.localhost`) || PathPrefix(`/`)")
                    .loses("prefix-only")
                    .hint("PathPrefix(`/app1`)"),
            Mutation.of("single quotes in the rule")
                    .replace(RULE, "Host(`app1.localhost`) || PathPrefix('/app1')")
                    .loses("host-route", "prefix-route", "prefix-stripped", "links-keep-prefix", "prefix-only")
                    .hint("disabled"),
            Mutation.of("the port label says 8080")
                    .replace("loadbalancer.server.port=8081", "loadbalancer.server.port=8080")
                    .loses("host-route", "prefix-route", "prefix-stripped", "links-keep-prefix", "prefix-only")
                    .hint("port 8080"),
            Mutation.of("the middleware's option in the singular: stripprefix.prefix")
                    .replace("stripprefix.prefixes=/app1", "stripprefix.prefix=/app1")
                    .loses("host-route", "prefix-route", "prefix-stripped", "links-keep-prefix", "prefix-only")
                    .hint("stripprefix.prefix"));

    @Override
    protected String lab() {
        return "lab3";
    }

    @Override
    protected List<Mutation> table() {
        return TABLE;
    }
}

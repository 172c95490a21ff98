package dev.switchboard.proxy.middleware;

import static dev.switchboard.proxy.testing.Exchange.row;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** stripPrefix, stripPrefixRegex, addPrefix, replacePath, replacePathRegex: request in, request the backend saw. */
class PathMiddlewaresTest {
    private static Backend backend;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("b");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("strip", "stripPrefix: {prefixes: [/api, /api/v1, /x]}");
        m.put("stripre", "stripPrefixRegex: {regex: [\"^/api/v[0-9]+\", \"/[a-z]+/[0-9]+\"]}");
        m.put("add", "addPrefix: {prefix: /api}");
        m.put("addnoslash", "addPrefix: {prefix: api}");
        m.put("replace", "replacePath: {path: /health}");
        m.put("replacere", "replacePathRegex: {regex: \"^/foo/(.*)\", replacement: \"/bar/$1\"}");
        m.put("replacenamed", "replacePathRegex: {regex: \"^/u/(?P<id>[0-9]+)\", replacement: \"/users/${id}/profile\"}");
        proxy = ProxyFixture.start(Exchange.routers(backend, m));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    static Stream<Exchange> rows() {
        return Stream.of(
                row("stripPrefix: first matching prefix wins").host("strip").get("/api/v1/users")
                        .backendPath("/v1/users").backendHeader("X-Forwarded-Prefix", "/api"),
                row("stripPrefix: the query is kept").host("strip").get("/api/users?sort=name")
                        .backendPath("/users").backendQuery("sort=name"),
                row("stripPrefix: empty result becomes /").host("strip").get("/api")
                        .backendPath("/").backendHeader("X-Forwarded-Prefix", "/api"),
                row("stripPrefix: no matching prefix, path unchanged").host("strip").get("/other")
                        .backendPath("/other").backendHeader("X-Forwarded-Prefix", null),
                row("stripPrefix: prefix is textual, /xy loses /x").host("strip").get("/xy")
                        .backendPath("/y"),
                row("stripPrefixRegex: version prefix").host("stripre").get("/api/v2/users")
                        .backendPath("/users").backendHeader("X-Forwarded-Prefix", "/api/v2"),
                row("stripPrefixRegex: second expression").host("stripre").get("/items/42/detail")
                        .backendPath("/detail").backendHeader("X-Forwarded-Prefix", "/items/42"),
                row("stripPrefixRegex: a match that is not a prefix is left").host("stripre").get("/a/items/42")
                        .backendPath("/a/items/42").backendHeader("X-Forwarded-Prefix", null),
                row("addPrefix").host("add").get("/users?x=1").backendPath("/api/users").backendQuery("x=1"),
                row("addPrefix: a prefix without slash gets one").host("addnoslash").get("/users")
                        .backendPath("/api/users"),
                row("replacePath: old path in X-Replaced-Path, query kept").host("replace").get("/status/now?v=2")
                        .backendPath("/health").backendQuery("v=2").backendHeader("X-Replaced-Path", "/status/now"),
                row("replacePathRegex: group reference").host("replacere").get("/foo/a/b")
                        .backendPath("/bar/a/b").backendHeader("X-Replaced-Path", "/foo/a/b"),
                row("replacePathRegex: no match, unchanged").host("replacere").get("/other")
                        .backendPath("/other").backendHeader("X-Replaced-Path", null),
                row("replacePathRegex: Go named group").host("replacenamed").get("/u/7")
                        .backendPath("/users/7/profile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void pathMiddleware(Exchange row) throws Exception {
        row.check(proxy, backend);
    }
}

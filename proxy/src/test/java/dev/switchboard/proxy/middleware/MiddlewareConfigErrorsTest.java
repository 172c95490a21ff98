package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.runtime.MiddlewareInfo;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A middleware whose configuration is invalid disables itself and the routers using it, with a
 * message that says what to fix; the other routers keep serving.
 */
class MiddlewareConfigErrorsTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("replacePathRegex: {regex: \"^/(unclosed\", replacement: /x}", "is not a valid regular expression"),
                Arguments.of("stripPrefixRegex: {regex: [\"[a-\"]}", "is not a valid regular expression"),
                Arguments.of("basicAuth: {usersFile: /no/such/htpasswd}", "usersFile /no/such/htpasswd cannot be read"),
                Arguments.of("basicAuth: {users: [\"alice\"]}", "is not of the form name:hash"),
                Arguments.of("circuitBreaker: {expression: \"NetworkErrorRatio() >> 0.5\"}", "expression \"NetworkErrorRatio() >> 0.5\""),
                Arguments.of("circuitBreaker: {expression: \"Latency() > 3\"}", "unknown function Latency"),
                Arguments.of("ipAllowList: {sourceRange: [\"10.0.0.300/8\"]}", "is not an IP address or CIDR range"),
                Arguments.of("addPrefix: {prefix: \"\"}", "prefix cannot be empty"),
                Arguments.of("redirectScheme: {port: \"443\"}", "you must provide a target scheme"),
                Arguments.of("rateLimit: {average: 10, sourceCriterion: {requestHost: true, requestHeaderName: X}}", "mutually exclusive"),
                Arguments.of("errors: {status: [\"5xx\"], service: backend}", "is not a status code or range"),
                Arguments.of("errors: {status: [\"500\"], service: nopages}", "nopages@file\" does not exist"),
                Arguments.of("compress: {encodings: [br]}", "gzip only"),
                Arguments.of("forwardAuth: {address: \"not a url\"}", "address"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void invalidMiddlewareDisablesItsRouters(String middleware, String message) throws Exception {
        try (Backend backend = new Backend("b");
                ProxyFixture proxy = ProxyFixture.start("""
                        http:
                          routers:
                            broken: {rule: "PathPrefix(`/broken`)", service: backend, middlewares: [bad]}
                            fine:   {rule: "PathPrefix(`/fine`)", service: backend}
                          middlewares:
                            bad:
                              %s
                          services:
                            backend:
                              loadBalancer: {servers: [{url: "%s"}]}
                        """.formatted(middleware, backend.url()))) {
            assertEquals(404, proxy.get("/broken").getStatus());
            assertEquals(200, proxy.get("/fine").getStatus());
            RouterInfo broken = proxy.proxy().runtime().routers().get("broken@file");
            MiddlewareInfo bad = proxy.proxy().runtime().middlewares().get("bad@file");
            assertEquals("disabled", broken.status().json());
            assertEquals("disabled", bad.status().json());
            assertTrue(String.join("; ", broken.errors()).contains(message), broken.errors() + " should say " + message);
            assertTrue(String.join("; ", bad.errors()).contains(message), bad.errors() + " should say " + message);
        }
    }
}

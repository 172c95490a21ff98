package dev.switchboard.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules against requests, as a table: rule, request, whether it matches. Behaviour as Traefik v3's matchers. */
class RuleMatchingTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // Host: case-insensitive, port already stripped by the request; no wildcard in Traefik v3 (* is literal)
                Arguments.of("Host(`app1.localhost`)", FakeRequest.of("GET app1.localhost /"), true),
                Arguments.of("Host(`APP1.localhost`)", FakeRequest.of("GET app1.localhost /x"), true),
                Arguments.of("Host(`app1.localhost`)", FakeRequest.of("GET app2.localhost /"), false),
                Arguments.of("Host(`app1.localhost`)", FakeRequest.of("GET - /"), false),
                Arguments.of("Host(`app1.localhost.`)", FakeRequest.of("GET app1.localhost /"), true),
                Arguments.of("Host(`app1.localhost`)", FakeRequest.of("GET app1.localhost. /"), true),
                Arguments.of("Host(`*.example.com`)", FakeRequest.of("GET a.example.com /"), false),
                Arguments.of("Host(`*`)", FakeRequest.of("GET anything /"), false),
                Arguments.of("HostRegexp(`^[^.]+\\.example\\.com$`)", FakeRequest.of("GET a.example.com /"), true),
                Arguments.of("HostRegexp(`^[^.]+\\.example\\.com$`)", FakeRequest.of("GET a.b.example.com /"), false),
                Arguments.of("host(`app1.localhost`)", FakeRequest.of("GET app1.localhost /"), true),
                Arguments.of("HOST(`app1.localhost`)", FakeRequest.of("GET app1.localhost /"), true),
                // HostRegexp: unanchored
                Arguments.of("HostRegexp(`^[a-z]+\\.example\\.com$`)", FakeRequest.of("GET api.example.com /"), true),
                Arguments.of("HostRegexp(`example`)", FakeRequest.of("GET api.example.com /"), true),
                Arguments.of("HostRegexp(`^example`)", FakeRequest.of("GET api.example.com /"), false),
                // Path and PathPrefix: literal, prefix not bound to segments (as Traefik)
                Arguments.of("Path(`/users`)", FakeRequest.of("GET h /users"), true),
                Arguments.of("Path(`/users`)", FakeRequest.of("GET h /users/"), false),
                Arguments.of("PathPrefix(`/app1`)", FakeRequest.of("GET h /app1/users/1"), true),
                Arguments.of("PathPrefix(`/app1`)", FakeRequest.of("GET h /app1"), true),
                Arguments.of("PathPrefix(`/app1`)", FakeRequest.of("GET h /app10"), true),
                Arguments.of("PathPrefix(`/app1`)", FakeRequest.of("GET h /app2"), false),
                Arguments.of("Pathprefix(`/app1`)", FakeRequest.of("GET h /app1"), true),
                Arguments.of("PathRegexp(`^/users/[0-9]+$`)", FakeRequest.of("GET h /users/42"), true),
                Arguments.of("PathRegexp(`[0-9]+`)", FakeRequest.of("GET h /users/42/x"), true),
                Arguments.of("PathRegexp(`^/users/[0-9]+$`)", FakeRequest.of("GET h /users/abc"), false),
                // Method
                Arguments.of("Method(`POST`)", FakeRequest.of("POST h /"), true),
                Arguments.of("Method(`post`)", FakeRequest.of("POST h /"), true),
                Arguments.of("Method(`POST`)", FakeRequest.of("GET h /"), false),
                // Header, HeaderRegexp
                Arguments.of("Header(`X-Env`, `canary`)", FakeRequest.of("GET h /").header("X-Env", "canary"), true),
                Arguments.of("Header(`x-env`, `canary`)", FakeRequest.of("GET h /").header("X-Env", "canary"), true),
                Arguments.of("Header(`X-Env`, `canary`)", FakeRequest.of("GET h /").header("X-Env", "stable"), false),
                Arguments.of("HeaderRegexp(`User-Agent`, `curl/.*`)", FakeRequest.of("GET h /").header("User-Agent", "curl/8"), true),
                Arguments.of("HeaderRegexp(`User-Agent`, `^Mozilla`)", FakeRequest.of("GET h /").header("User-Agent", "curl/8"), false),
                // Query, QueryRegexp; Query with one argument matches a present empty value
                Arguments.of("Query(`v`, `2`)", FakeRequest.of("GET h /?v=2"), true),
                Arguments.of("Query(`v`, `2`)", FakeRequest.of("GET h /?v=1&v=2"), true),
                Arguments.of("Query(`v`, `2`)", FakeRequest.of("GET h /?v=3"), false),
                Arguments.of("Query(`debug`)", FakeRequest.of("GET h /?debug"), true),
                Arguments.of("Query(`debug`)", FakeRequest.of("GET h /?other"), false),
                Arguments.of("QueryRegexp(`v`, `^[12]$`)", FakeRequest.of("GET h /?v=1"), true),
                Arguments.of("QueryRegexp(`v`, `^[12]$`)", FakeRequest.of("GET h /?v=3"), false),
                // ClientIP: address or CIDR of the connecting peer
                Arguments.of("ClientIP(`10.0.0.0/8`)", FakeRequest.of("GET h /").from("10.1.2.3"), true),
                Arguments.of("ClientIP(`10.0.0.0/8`)", FakeRequest.of("GET h /").from("11.1.2.3"), false),
                Arguments.of("ClientIP(`127.0.0.2`)", FakeRequest.of("GET h /").from("127.0.0.2"), true),
                Arguments.of("ClientIP(`::1`)", FakeRequest.of("GET h /").from("::1"), true),
                // Operators and precedence: ! over && over ||
                Arguments.of("Host(`app1.localhost`) || PathPrefix(`/app1`)", FakeRequest.of("GET other /app1/x"), true),
                Arguments.of("Host(`app1.localhost`) || PathPrefix(`/app1`)", FakeRequest.of("GET app1.localhost /x"), true),
                Arguments.of("Host(`app1.localhost`) || PathPrefix(`/app1`)", FakeRequest.of("GET other /x"), false),
                Arguments.of("Host(`a`) && PathPrefix(`/api`)", FakeRequest.of("GET a /api"), true),
                Arguments.of("Host(`a`) && PathPrefix(`/api`)", FakeRequest.of("GET a /web"), false),
                Arguments.of("Host(`a`) && !PathPrefix(`/admin`)", FakeRequest.of("GET a /admin"), false),
                Arguments.of("Host(`a`) && !PathPrefix(`/admin`)", FakeRequest.of("GET a /x"), true),
                Arguments.of("Host(`x`) || Host(`a`) && Path(`/p`)", FakeRequest.of("GET x /q"), true),
                Arguments.of("Host(`x`) || Host(`a`) && Path(`/p`)", FakeRequest.of("GET a /q"), false),
                Arguments.of("(Host(`x`) || Host(`a`)) && Path(`/p`)", FakeRequest.of("GET x /q"), false),
                Arguments.of("!(Host(`x`) || Host(`y`))", FakeRequest.of("GET z /"), true),
                // double-quoted strings with Go escapes
                Arguments.of("PathRegexp(\"^/a\\\\d$\")", FakeRequest.of("GET h /a1"), true),
                Arguments.of("Host(\"app1.localhost\")", FakeRequest.of("GET app1.localhost /"), true),
                Arguments.of("  Host( `a` )  &&  Path( `/p` ) ", FakeRequest.of("GET a /p"), true));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("table")
    void matches(String rule, FakeRequest request, boolean expected) throws RuleException {
        assertEquals(expected, RuleParser.parse(rule).compile().matches(request));
    }
}

package dev.switchboard.proxy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.proxy.testing.RawHttp;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which request targets and Host headers an entry point takes, as Traefik v3.2's Go server takes
 * them ({@code net/http} request parsing, {@code httpguts.ValidHostHeader}, Traefik's
 * {@code denyFragment}), and the path the server then gets (Go's {@code URL.EscapedPath()}).
 * Jetty decides this through its URI and HTTP compliance modes: see
 * {@link dev.switchboard.proxy.server.RequestCompliance}.
 */
class RequestTargetsTest {
    private static OneRouter router;

    @BeforeAll
    static void start() throws Exception {
        router = OneRouter.start("PathPrefix(`/`) && !Host(`127.0.0.1`)");
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                // accepted by Go, forwarded as Go forwards them
                Arguments.of("encoded slash", "GET /a%2Fb HTTP/1.1\r\nHost: x", 200, "/a%2Fb"),
                Arguments.of("encoded dot segment, not resolved", "GET /a/%2e%2e/b HTTP/1.1\r\nHost: x", 200, "/a/%2e%2e/b"),
                Arguments.of("dot segment, not resolved", "GET /a/../b HTTP/1.1\r\nHost: x", 200, "/a/../b"),
                Arguments.of("empty segment", "GET /a//b HTTP/1.1\r\nHost: x", 200, "/a//b"),
                Arguments.of("encoded percent", "GET /a%25b HTTP/1.1\r\nHost: x", 200, "/a%25b"),
                Arguments.of("encoded backslash", "GET /a%5Cb HTTP/1.1\r\nHost: x", 200, "/a%5Cb"),
                Arguments.of("raw backslash, escaped by Go", "GET /a\\b HTTP/1.1\r\nHost: x", 200, "/a%5Cb"),
                Arguments.of("raw braces, escaped by Go", "GET /{x} HTTP/1.1\r\nHost: x", 200, "/%7Bx%7D"),
                Arguments.of("raw UTF-8, escaped by Go", "GET /café HTTP/1.1\r\nHost: x", 200, "/caf%C3%A9"),
                Arguments.of("path parameter kept", "GET /a;p=1/b HTTP/1.1\r\nHost: x", 200, "/a;p=1/b"),
                Arguments.of("encoded #", "GET /a%23b HTTP/1.1\r\nHost: x", 200, "/a%23b"),
                Arguments.of("Host with underscore", "GET / HTTP/1.1\r\nHost: a_b.example", 200, "/"),
                Arguments.of("IPv6 Host without brackets", "GET / HTTP/1.1\r\nHost: 10::10", 200, "/"),
                // refused by Go (400) and here
                Arguments.of("raw # (Traefik's denyFragment)", "GET /a#b HTTP/1.1\r\nHost: x", 400, null),
                Arguments.of("malformed escape", "GET /a%zzb HTTP/1.1\r\nHost: x", 400, null),
                Arguments.of("%u escape", "GET /a%u0041 HTTP/1.1\r\nHost: x", 400, null),
                Arguments.of("no Host in HTTP/1.1", "GET / HTTP/1.1\r\nX-A: b", 400, null),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b", 400, null),
                Arguments.of("space in Host", "GET / HTTP/1.1\r\nHost: a b", 400, null),
                Arguments.of("non-ASCII Host", "GET / HTTP/1.1\r\nHost: 🦭.com", 400, null),
                // HTTP/1.0 without Host: Go's request has an empty host, so Host(`127.0.0.1`) does not see the proxy's address
                Arguments.of("HTTP/1.0 without Host has an empty host", "GET / HTTP/1.0\r\nX-A: b", 200, "/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void requestTargetsAsGoTakesThem(String desc, String head, int status, String forwarded) throws Exception {
        router.backend().reset();
        RawHttp.Response response = RawHttp.send(router.port(), head);
        assertEquals(status, response.status(), desc + ": " + response.body());
        if (forwarded != null) {
            assertEquals(forwarded, router.backend().last().path(), desc + ": the path the server got");
        } else {
            assertEquals(0, router.backend().count(), desc + ": not forwarded");
        }
    }
}

package dev.switchboard.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.testing.LogCapture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules that must not parse, and the message each gives: what is wrong and how to write it. */
class RuleParserTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "the rule is empty"),
                Arguments.of("Host(app1.localhost)", "must be quoted with backticks or double quotes: write Host(`app1.localhost`)"),
                Arguments.of("Host('app1.localhost')", "write Host(`app1.localhost`)"),
                Arguments.of("Host(`a`, `b`)", "Host takes 1 argument, got 2: Traefik v3 takes one value per matcher"),
                Arguments.of("PathPrefix(`/a`, `/b`)", "PathPrefix(`/a`) || PathPrefix(`/b`)"),
                Arguments.of("Header(`X-Env`)", "Header takes 2 arguments, got 1"),
                Arguments.of("Host()", "Host takes 1 argument, got 0"),
                Arguments.of("PathPrefixx(`/a`)", "unknown matcher PathPrefixx: did you mean PathPrefix?"),
                Arguments.of("Hots(`a`)", "did you mean Host?"),
                Arguments.of("Frobnicate(`a`)", "unknown matcher Frobnicate: the matchers are"),
                Arguments.of("Path(`users`)", "path \"users\" does not start with a '/'"),
                Arguments.of("PathPrefix(`app1`)", "write PathPrefix(`/app1`)"),
                Arguments.of("PathRegexp(`(`)", "invalid regular expression"),
                Arguments.of("Headers(`X`, `y`)", "Headers is Traefik v2 syntax"),
                Arguments.of("HostHeader(`a`)", "HostHeader is Traefik v2 syntax"),
                Arguments.of("PathPrefixStrip(`/app1`)", "Traefik v1 syntax: use PathPrefix(`/app`) and a stripPrefix middleware"),
                Arguments.of("Host(`a`) & Path(`/p`)", "the operators are && and ||"),
                Arguments.of("Host(`a`) Path(`/p`)", "join matchers with && or ||"),
                Arguments.of("(Host(`a`)", "missing ')'"),
                Arguments.of("Host(`a`", "missing ')'"),
                Arguments.of("Host(`a)", "never closed"),
                Arguments.of("Host(`a`) &&", "ends where a matcher was expected"),
                Arguments.of("ClientIP(`10.0.0.0/99`)", "prefix length"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String rule, String expectedMessagePart) {
        RuleException e = assertThrows(RuleException.class, () -> RuleParser.parse(rule));
        assertTrue(e.getMessage().contains(expectedMessagePart), () -> "message was: " + e.getMessage());
    }

    /**
     * Rules Traefik v3.2 accepts although they never match what was meant: the router works as
     * there (enabled, matching literally), and one warning says how to write it (once per rule in
     * a JVM: each rule here is used by no other test).
     */
    static Stream<Arguments> acceptedWithAWarning() {
        return Stream.of(
                Arguments.of("Query(`v=2`)", "write Query(`v`, `2`)"),
                Arguments.of("HostRegexp(`{sub:[a-z]+}.example.com`)", "looks like Traefik v2 syntax"),
                Arguments.of("PathRegexp(`^/{name:[a-z]+}$`)", "looks like Traefik v2 syntax"),
                Arguments.of("Host(`app1.localhost/app1`)", "holds a path"),
                Arguments.of("Host(`*.example.org`)", "HostRegexp(`^[^.]+\\.example\\.org$`)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedWithAWarning")
    void acceptsWhatTraefikAcceptsAndWarns(String rule, String fix) throws RuleException {
        try (LogCapture log = new LogCapture(Matchers.class)) {
            RuleParser.parse(rule);
            assertTrue(log.lines(Level.WARN).stream().anyMatch(l -> l.contains(fix)), () -> log.lines(Level.WARN).toString());
        }
    }

    @ParameterizedTest
    @MethodSource("columns")
    void errorsGiveTheColumn(String rule, int column) {
        RuleException e = assertThrows(RuleException.class, () -> RuleParser.parse(rule));
        assertTrue(e.getMessage().contains("column " + column + ":"), () -> "message was: " + e.getMessage());
    }

    static Stream<Arguments> columns() {
        return Stream.of(Arguments.of("Host(app)", 6), Arguments.of("Host(`a`) && Pth(`/p`)", 14));
    }
}

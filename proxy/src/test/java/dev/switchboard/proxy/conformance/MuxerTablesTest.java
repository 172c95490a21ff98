package dev.switchboard.proxy.conformance;

import static dev.switchboard.proxy.conformance.OneRouter.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawHttp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tables of Traefik v3.2's {@code pkg/muxer/http/mux_test.go} over HTTP: rule syntax and
 * operators ({@code TestMuxer}), priorities ({@code Test_addRoutePriority},
 * {@code TestGetRulePriority}) and absolute-form targets ({@code TestEmptyHost}, which is
 * RFC 9112 section 3.2.2: the target's host wins over the Host header).
 */
class MuxerTablesTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("muxerErrors")
    void muxerRuleErrors(String desc, String rule) {
        assertThrows(RuleException.class, () -> RuleParser.parse(rule), desc);
    }

    static Stream<Arguments> muxerErrors() {
        return Stream.of(
                Arguments.of("no tree", ""),
                Arguments.of("Rule with no matcher", "rulewithnotmatcher"),
                Arguments.of("Rule without quote", "Host(example.com)"));
    }

    static Stream<Arguments> muxer() {
        return Stream.of(
                Arguments.of("Host IPv4", "Host(`127.0.0.1`)", expect("http://127.0.0.1/foo", 200)),
                Arguments.of("Host IPv6", "Host(`10::10`)", expect("http://10::10/foo", 200, "http://[10::10]/foo", 200)),
                Arguments.of("Host and PathPrefix", "Host(`localhost`) && PathPrefix(`/css`)",
                        expect("https://localhost/css", 200, "https://localhost/js", 404)),
                Arguments.of("Rule with Host OR Host", "Host(`example.com`) || Host(`example.org`)",
                        expect("https://example.com/css", 200, "https://example.org/js", 200, "https://example.eu/html", 404)),
                Arguments.of("Rule with host OR (host AND path)", "Host(\"example.com\") || (Host(\"example.org\") && Path(\"/css\"))",
                        expect("https://example.com/css", 200, "https://example.com/js", 200, "https://example.org/css", 200,
                                "https://example.org/js", 404, "https://example.eu/css", 404)),
                Arguments.of("Rule with host OR host AND path", "Host(\"example.com\") || Host(\"example.org\") && Path(\"/css\")",
                        expect("https://example.com/css", 200, "https://example.com/js", 200, "https://example.org/css", 200,
                                "https://example.org/js", 404, "https://example.eu/css", 404)),
                Arguments.of("Rule with (host OR host) AND path", "(Host(\"example.com\") || Host(\"example.org\")) && Path(\"/css\")",
                        expect("https://example.com/css", 200, "https://example.com/js", 404, "https://example.org/css", 200,
                                "https://example.org/js", 404, "https://example.eu/css", 404)),
                Arguments.of("Rule with (host AND path) OR (host AND path)",
                        "(Host(\"example.com\") && Path(\"/js\")) || ((Host(\"example.org\")) && Path(\"/css\"))",
                        expect("https://example.com/css", 404, "https://example.com/js", 200, "https://example.org/css", 200,
                                "https://example.org/js", 404, "https://example.eu/css", 404)),
                Arguments.of("Rule case UPPER", "PATHPREFIX(\"/css\")", expect("https://example.com/css", 200, "https://example.com/js", 404)),
                Arguments.of("Rule case lower", "pathprefix(\"/css\")", expect("https://example.com/css", 200, "https://example.com/js", 404)),
                Arguments.of("Rule case CamelCase", "PathPrefix(\"/css\")", expect("https://example.com/css", 200, "https://example.com/js", 404)),
                Arguments.of("Rule case Title", "Pathprefix(\"/css\")", expect("https://example.com/css", 200, "https://example.com/js", 404)),
                Arguments.of("Rule with not", "!Host(\"example.com\")", expect("https://example.org", 200, "https://example.com", 404)),
                Arguments.of("Rule with not on multiple route with or", "!(Host(\"example.com\") || Host(\"example.org\"))",
                        expect("https://example.eu/js", 200, "https://example.com/css", 404, "https://example.org/js", 404)),
                Arguments.of("Rule with not on multiple route with and", "!(Host(\"example.com\") && Path(\"/css\"))",
                        expect("https://example.com/js", 200, "https://example.eu/css", 200, "https://example.com/css", 404)),
                Arguments.of("Rule with not on multiple route with and another not", "!(Host(\"example.com\") && !Path(\"/css\"))",
                        expect("https://example.com/css", 200, "https://example.org/css", 200, "https://example.com/js", 404)),
                Arguments.of("Rule with not on two rule", "!Host(\"example.com\") || !Path(\"/css\")",
                        expect("https://example.com/js", 200, "https://example.org/css", 200, "https://example.com/css", 404)),
                Arguments.of("Rule case with double not", "!(!(Host(\"example.com\") && Pathprefix(\"/css\")))",
                        expect("https://example.com/css", 200, "https://example.com/js", 404, "https://example.org/css", 404)),
                Arguments.of("Rule case with not domain", "!Host(\"example.com\") && Pathprefix(\"/css\")",
                        expect("https://example.org/css", 200, "https://example.org/js", 404, "https://example.com/css", 404,
                                "https://example.com/js", 404)),
                Arguments.of("Rule with multiple host AND multiple path AND not", "!(Host(\"example.com\") && Path(\"/js\"))",
                        expect("https://example.com/js", 404, "https://example.com/html", 200, "https://example.org/js", 200,
                                "https://example.com/css", 200, "https://example.org/css", 200, "https://example.org/html", 200,
                                "https://example.eu/images", 200)),
                // Not in the Go table: Go's call syntax, which Traefik's parser is, allows a trailing comma.
                Arguments.of("Go call syntax: trailing comma", "Host(`example.com`,)", expect("https://example.com", 200)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("muxer")
    void muxer(String desc, String rule, Map<String, Integer> expected) throws Exception {
        try (OneRouter r = OneRouter.start(rule)) {
            Map<String, Integer> actual = new LinkedHashMap<>();
            for (String url : expected.keySet()) {
                actual.put(url, r.status(url));
            }
            assertEquals(expected, actual, rule);
        }
    }

    record Route(String answer, String rule, int priority) {
    }

    static Stream<Arguments> addRoutePriority() {
        return Stream.of(
                Arguments.of("Higher priority on second rule", "/my",
                        List.of(new Route("header1", "PathPrefix(`/my`)", 10), new Route("header2", "PathPrefix(`/my`)", 20)), "header2"),
                Arguments.of("Higher priority on first rule", "/my",
                        List.of(new Route("header1", "PathPrefix(`/my`)", 20), new Route("header2", "PathPrefix(`/my`)", 10)), "header1"),
                Arguments.of("Higher priority on second rule with different rule", "/mypath",
                        List.of(new Route("header1", "PathPrefix(`/mypath`)", 10), new Route("header2", "PathPrefix(`/my`)", 20)), "header2"),
                Arguments.of("Higher priority on longest rule (longest first)", "/mypath",
                        List.of(new Route("header1", "PathPrefix(`/mypath`)", 0), new Route("header2", "PathPrefix(`/my`)", 0)), "header1"),
                Arguments.of("Higher priority on longest rule (longest second)", "/mypath",
                        List.of(new Route("header1", "PathPrefix(`/my`)", 0), new Route("header2", "PathPrefix(`/mypath`)", 0)), "header2"),
                Arguments.of("Higher priority on longest rule (longest third)", "/mypath",
                        List.of(new Route("header1", "PathPrefix(`/my`)", 0), new Route("header2", "PathPrefix(`/mypa`)", 0),
                                new Route("header3", "PathPrefix(`/mypath`)", 0)), "header3"));
    }

    /** One backend per route, answering its name; a priority of 0 means none (the rule's length, as in Traefik). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("addRoutePriority")
    void addRoutePriority(String desc, String path, List<Route> routes, String expected) throws Exception {
        List<Backend> backends = new java.util.ArrayList<>();
        StringBuilder yaml = new StringBuilder("http:\n  routers:\n");
        StringBuilder services = new StringBuilder("  services:\n");
        try {
            for (Route route : routes) {
                Backend b = new Backend(route.answer());
                backends.add(b);
                yaml.append("    ").append(route.answer()).append(": {rule: '").append(route.rule()).append("', service: ")
                        .append(route.answer()).append(route.priority() > 0 ? ", priority: " + route.priority() : "").append("}\n");
                services.append("    ").append(route.answer()).append(": {loadBalancer: {servers: [{url: \"").append(b.url())
                        .append("\"}]}}\n");
            }
            try (ProxyFixture proxy = ProxyFixture.start(yaml.append(services).toString())) {
                assertEquals(expected, proxy.get(path).getContentAsString(), desc);
            }
        } finally {
            for (Backend b : backends) {
                b.close();
            }
        }
    }

    @Test
    void getRulePriorityIsTheRuleLength() throws Exception {
        // Host(`example.org`) is 19 characters: priority 19, so a rule of 19 beats one of 18 and loses to priority 20.
        try (Backend a = new Backend("a"); Backend b = new Backend("b")) {
            String services = "  services:\n    a: {loadBalancer: {servers: [{url: \"" + a.url() + "\"}]}}\n"
                    + "    b: {loadBalancer: {servers: [{url: \"" + b.url() + "\"}]}}\n";
            try (ProxyFixture proxy = ProxyFixture.start("http:\n  routers:\n"
                    + "    a: {rule: 'Host(`example.org`)', service: a}\n"
                    + "    b: {rule: 'PathPrefix(`/`)', service: b, priority: 20}\n" + services)) {
                assertEquals("b", proxy.get("example.org", "/").getContentAsString());
            }
            try (ProxyFixture proxy = ProxyFixture.start("http:\n  routers:\n"
                    + "    a: {rule: 'Host(`example.org`)', service: a}\n"
                    + "    b: {rule: 'PathPrefix(`/`)', service: b, priority: 18}\n" + services)) {
                assertEquals("a", proxy.get("example.org", "/").getContentAsString());
            }
        }
    }

    static Stream<Arguments> emptyHost() {
        return Stream.of(
                Arguments.of("HostRegexp with absolute-form URL with empty host with non-matching host header",
                        "GET http://@/ HTTP/1.1\r\nHost: example.com", "HostRegexp(`example.com`)", 200),
                Arguments.of("Host with absolute-form URL with empty host with non-matching host header",
                        "GET http://@/ HTTP/1.1\r\nHost: example.com", "Host(`example.com`)", 200),
                Arguments.of("HostRegexp with absolute-form URL with matching host header",
                        "GET http://example.com/ HTTP/1.1\r\nHost: example.org", "HostRegexp(`example.com`)", 200),
                Arguments.of("Host with absolute-form URL with matching host header",
                        "GET http://example.com/ HTTP/1.1\r\nHost: example.org", "Host(`example.com`)", 200),
                Arguments.of("HostRegexp with absolute-form URL with non-matching host header",
                        "GET http://example.com/ HTTP/1.1\r\nHost: example.org", "HostRegexp(`example.org`)", 404),
                Arguments.of("Host with absolute-form URL with non-matching host header",
                        "GET http://example.com/ HTTP/1.1\r\nHost: example.org", "Host(`example.org`)", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyHost")
    void emptyHost(String desc, String request, String rule, int expected) throws Exception {
        try (OneRouter r = OneRouter.start(rule)) {
            RawHttp.Response response = RawHttp.send(r.port(), request);
            assertEquals(expected, response.status(), desc);
            if (expected == 200 && request.contains("http://example.com/")) {
                assertEquals("example.com", r.backend().last().header("Host"),
                        "the server gets the target's host as Host, as Go's reverse proxy sends req.Host");
            }
        }
    }
}

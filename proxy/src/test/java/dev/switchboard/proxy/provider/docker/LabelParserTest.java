package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.Service;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Traefik's label grammar onto the configuration model, and the message for each kind of mistake. */
class LabelParserTest {

    private static LabelParser.Parsed parse(String... kv) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            labels.put(kv[i], kv[i + 1]);
        }
        return LabelParser.parse(labels, "app1");
    }

    @Test
    void routersWithListsTlsSectionsAndIndexedDomains() {
        LabelParser.Parsed p = parse(
                "traefik.http.routers.app1.rule", "Host(`app1.localhost`) || PathPrefix(`/app1`)",
                "traefik.http.routers.app1.entrypoints", "web, websecure",
                "traefik.http.routers.app1.middlewares", "app1-strip,auth@file",
                "traefik.http.routers.app1.priority", "42",
                "traefik.http.routers.app1.service", "app1",
                "traefik.http.routers.app1.tls", "true",
                "traefik.http.routers.app1.tls.domains[0].main", "app1.localhost",
                "traefik.http.routers.app1.tls.domains[0].sans", "a.localhost,b.localhost");
        assertEquals(List.of(), p.errors());
        Router r = p.http().routers().get("app1");
        assertEquals(List.of("web", "websecure"), r.entryPoints());
        assertEquals(List.of("app1-strip", "auth@file"), r.middlewares());
        assertEquals(42, r.priority());
        assertEquals("app1.localhost", r.tls().domains().get(0).main());
        assertEquals(List.of("a.localhost", "b.localhost"), r.tls().domains().get(0).sans());
    }

    @Test
    void keysIgnoreCaseAndTheServerIsOneStruct() {
        LabelParser.Parsed p = parse(
                "traefik.http.services.app1.loadBalancer.server.port", "8081",
                "traefik.http.services.app1.loadbalancer.server.scheme", "h2c",
                "traefik.http.services.app1.LOADBALANCER.healthCheck.path", "/actuator/health",
                "traefik.http.services.app1.loadbalancer.healthcheck.interval", "5s",
                "traefik.http.services.app1.loadbalancer.healthcheck.headers.X-Probe", "switchboard",
                "traefik.http.services.app1.loadbalancer.sticky.cookie", "true",
                "traefik.http.services.app1.loadbalancer.strategy", "p2c",
                "traefik.http.services.app1.loadbalancer.passhostheader", "false");
        assertEquals(List.of(), p.errors());
        Service.LoadBalancer lb = (Service.LoadBalancer) p.http().services().get("app1");
        assertEquals("/actuator/health", lb.healthCheck().path());
        assertEquals(Duration.ofSeconds(5), lb.healthCheck().interval());
        assertEquals(Map.of("X-Probe", "switchboard"), lb.healthCheck().headers());
        assertEquals("/", lb.sticky().cookie().path(), "sticky.cookie=true switches the cookie on with its defaults");
        assertEquals("p2c", lb.strategy());
        assertEquals(false, lb.passHostHeader());
        assertEquals(List.of(), lb.servers(), "servers come from the container, not from labels");
        assertEquals("8081", p.server("app1").port());
        assertEquals("h2c", p.server("app1").scheme());
    }

    @Test
    void everyMiddlewareKindIsALabelFamily() {
        LabelParser.Parsed p = parse(
                "traefik.http.middlewares.strip.stripprefix.prefixes", "/app1,/api",
                "traefik.http.middlewares.add.addprefix.prefix", "/v1",
                "traefik.http.middlewares.hdr.headers.customrequestheaders.X-Lab", "3",
                "traefik.http.middlewares.hdr.headers.accesscontrolallowmethods", "GET,POST",
                "traefik.http.middlewares.limit.ratelimit.average", "100",
                "traefik.http.middlewares.limit.ratelimit.burst", "50",
                "traefik.http.middlewares.allow.ipallowlist.sourcerange", "127.0.0.1/32, 192.168.1.7",
                "traefik.http.middlewares.auth.basicauth.users", "student:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/",
                "traefik.http.middlewares.cb.circuitbreaker.expression", "NetworkErrorRatio() > 0.5",
                "traefik.http.middlewares.retry.retry.attempts", "3",
                "traefik.http.middlewares.both.chain.middlewares", "strip,hdr");
        assertEquals(List.of(), p.errors());
        Map<String, Middleware> m = p.http().middlewares();
        assertEquals(List.of("/app1", "/api"), ((Middleware.StripPrefix) m.get("strip")).prefixes());
        assertEquals("/v1", ((Middleware.AddPrefix) m.get("add")).prefix());
        assertEquals(Map.of("X-Lab", "3"), ((Middleware.Headers) m.get("hdr")).customRequestHeaders());
        assertEquals(List.of("GET", "POST"), ((Middleware.Headers) m.get("hdr")).accessControlAllowMethods());
        assertEquals(50L, ((Middleware.RateLimit) m.get("limit")).burst());
        assertEquals(List.of("127.0.0.1/32", "192.168.1.7"), ((Middleware.IpAllowList) m.get("allow")).sourceRange());
        assertEquals(1, ((Middleware.BasicAuth) m.get("auth")).users().size());
        assertEquals(3, ((Middleware.Retry) m.get("retry")).attempts());
        assertEquals(List.of("strip", "hdr"), ((Middleware.Chain) m.get("both")).middlewares());
    }

    @Test
    void providerLabels() {
        LabelParser.Parsed p = parse("traefik.enable", "TRUE", "traefik.docker.network", "demo_shared-network",
                "com.docker.compose.service", "app1");
        assertEquals(true, p.enable());
        assertEquals("demo_shared-network", p.network());
        assertTrue(p.hasTraefikLabels());
        assertNull(parse("com.docker.compose.service", "app1").enable());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("traefik.http.routers.app1.rul", "Host(`a`)", "traefik.http.routers.app1.rul",
                        "did you mean traefik.http.routers.app1.rule?"),
                Arguments.of("traefik.http.routers.app1.midlewares", "a", "traefik.http.routers.app1.midlewares",
                        "did you mean traefik.http.routers.app1.middlewares?"),
                Arguments.of("traefik.http.services.app1.loadbalancer.server.prot", "8081",
                        "traefik.http.services.app1.loadbalancer.server.prot", "did you mean traefik.http.services.app1.loadbalancer.server.port?"),
                Arguments.of("traefik.http.services.app1.loadbalancer.servers.port", "8081",
                        "traefik.http.services.app1.loadbalancer.servers", "each container is one server"),
                Arguments.of("traefik.http.services.app1.loadbalancer.server.port", "80a",
                        "traefik.http.services.app1.loadbalancer.server.port", "a port is a number"),
                Arguments.of("traefik.http.middlewares.app1-strip.stripprefix.prefix", "/app1",
                        "traefik.http.middlewares.app1-strip.stripprefix.prefix",
                        "did you mean traefik.http.middlewares.app1-strip.stripprefix.prefixes?"),
                Arguments.of("traefik.http.middlewares.app1-strip.stripprefx.prefixes", "/app1",
                        "traefik.http.middlewares.app1-strip", "did you mean stripPrefix?"),
                Arguments.of("traefik.http.middlewares.old.ipwhitelist.sourcerange", "1.2.3.4",
                        "traefik.http.middlewares.old", "use ipAllowList"),
                Arguments.of("traefik.http.middlewares.l.ratelimit.average", "many",
                        "traefik.http.middlewares.l.ratelimit.average", "\"many\" is not a whole number"),
                Arguments.of("traefik.http.services.s.loadbalancer.healthcheck.interval", "10",
                        null, null),
                Arguments.of("traefik.http.services.s.loadbalancer.healthcheck.interval", "10 sec",
                        "traefik.http.services.s.loadbalancer.healthcheck.interval", "invalid duration"),
                Arguments.of("traefik.http.router.app1.rule", "Host(`a`)", "traefik.http.router",
                        "did you mean traefik.http.routers?"),
                Arguments.of("traefik.enable", "yes", "traefik.enable", "traefik.enable is true or false"),
                Arguments.of("traefik.docker.netwrk", "x", "traefik.docker.netwrk", "did you mean traefik.docker.network?"),
                Arguments.of("traefik.http.routers.app1", "Host(`a`)", "traefik.http.routers.app1",
                        "traefik.http.routers.app1.rule=Host"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("mistakes")
    void eachMistakeNamesItsLabelAndTheFix(String key, String value, String label, String fix) {
        LabelParser.Parsed p = parse(key, value);
        if (label == null) {
            assertEquals(List.of(), p.errors(), "a valid label");
            return;
        }
        assertEquals(1, p.errors().size(), p.errors().toString());
        assertEquals(label, p.errors().get(0).label());
        assertTrue(p.errors().get(0).message().contains(fix), p.errors().get(0).message());
    }

    /** Labels under roots Traefik does not decode: Traefik ignores them, the container keeps its routes; a warning names the fix. */
    static Stream<Arguments> ignored() {
        return Stream.of(
                Arguments.of("traefik.htp.routers.app1.rule", "did you mean traefik.http.routers.app1.rule?"),
                Arguments.of("traefik.routers.app1.rule", "did you mean traefik.http.routers.app1.rule?"),
                Arguments.of("traefik.wrong.label", "Traefik v3 labels start with"),
                Arguments.of("traefik.tls.options.default.minversion", "file provider"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignored")
    void labelsTraefikIgnoresAreWarningsAndKeepTheContainer(String key, String fix) {
        LabelParser.Parsed p = parse(key, "x");
        assertEquals(List.of(), p.errors());
        assertEquals(1, p.warnings().size(), p.warnings().toString());
        assertTrue(p.warnings().get(0).message().contains(fix), p.warnings().get(0).message());
    }

    @Test
    void everyMistakeInAContainerIsReportedAtOnce() {
        LabelParser.Parsed p = parse(
                "traefik.http.routers.app1.rul", "Host(`a`)",
                "traefik.http.routers.app1.priority", "high",
                "traefik.http.services.app1.loadbalancer.server.prot", "8081",
                "traefik.http.middlewares.m.stripprefix.prefixs", "/a");
        assertEquals(List.of("traefik.http.middlewares.m.stripprefix.prefixs", "traefik.http.routers.app1.priority",
                "traefik.http.routers.app1.rul", "traefik.http.services.app1.loadbalancer.server.prot"),
                p.errors().stream().map(LabelParser.Problem::label).sorted().toList());
    }

    @Test
    void traefikV1LabelsAreWarningsWithTheV3Labels() {
        LabelParser.Parsed p = parse(
                "traefik.frontend.rule", "PathPrefixStrip:/app1",
                "traefik.backend", "app1",
                "traefik.web.port", "8081",
                "traefik.tcp.routers.db.rule", "HostSNI(`*`)");
        assertEquals(List.of(), p.errors());
        Map<String, String> w = new LinkedHashMap<>();
        p.warnings().forEach(x -> w.put(x.label(), x.message()));
        assertTrue(w.get("traefik.frontend.rule").contains("traefik.http.routers.app1.rule=PathPrefix(`/app1`)")
                && w.get("traefik.frontend.rule").contains("traefik.http.middlewares.app1-strip.stripprefix.prefixes=/app1"),
                w.get("traefik.frontend.rule"));
        assertTrue(w.get("traefik.backend").contains("traefik.http.services.app1"), w.get("traefik.backend"));
        assertTrue(w.get("traefik.web.port").contains("traefik.http.services.web.loadbalancer.server.port=8081"),
                w.get("traefik.web.port"));
        assertTrue(w.get("traefik.tcp.routers.db.rule").contains("HTTP only"), w.toString());
        assertEquals("Host(`a.localhost`) && (PathPrefix(`/a`) || PathPrefix(`/b`))",
                LabelParser.v1Rule("Host:a.localhost;PathPrefix:/a,/b"));
    }
}

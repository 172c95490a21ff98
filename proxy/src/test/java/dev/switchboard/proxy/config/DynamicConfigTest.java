package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.Service;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Traefik's dynamic file format onto the configuration model, in YAML and TOML. */
class DynamicConfigTest {

    static final String YAML = """
            http:
              routers:
                app1:
                  rule: "Host(`app1.localhost`) || PathPrefix(`/app1`)"
                  entryPoints: [web]
                  middlewares:
                    - app1-strip
                  service: app1
              middlewares:
                app1-strip:
                  stripPrefix:
                    prefixes:
                      - /app1
              services:
                app1:
                  loadBalancer:
                    servers:
                      - url: "http://127.0.0.1:8081"
                      - url: "http://127.0.0.1:8082"
                        weight: 3
                    healthCheck:
                      path: /actuator/health
                      interval: 5s
            """;

    static final String TOML = """
            [http.routers.app1]
              rule = "Host(`app1.localhost`) || PathPrefix(`/app1`)"
              entryPoints = ["web"]
              middlewares = ["app1-strip"]
              service = "app1"

            [http.middlewares.app1-strip.stripPrefix]
              prefixes = ["/app1"]

            [http.services.app1.loadBalancer]
              [[http.services.app1.loadBalancer.servers]]
                url = "http://127.0.0.1:8081"
              [[http.services.app1.loadBalancer.servers]]
                url = "http://127.0.0.1:8082"
                weight = 3
              [http.services.app1.loadBalancer.healthCheck]
                path = "/actuator/health"
                interval = "5s"
            """;

    @Test
    void yamlAndTomlGiveTheSameModel() {
        DynamicConfig yaml = ConfigMapper.readString(YAML, ConfigMapper.Format.YAML, "dynamic.yml", DynamicConfig.class);
        DynamicConfig toml = ConfigMapper.readString(TOML, ConfigMapper.Format.TOML, "dynamic.toml", DynamicConfig.class);
        assertEquals(yaml, toml);

        Router r = yaml.http().routers().get("app1");
        assertEquals("Host(`app1.localhost`) || PathPrefix(`/app1`)", r.rule());
        assertEquals(List.of("app1-strip"), r.middlewares());
        assertEquals(r.rule().length(), r.effectivePriority(), "default priority is the rule's length");
        Middleware.StripPrefix strip = assertInstanceOf(Middleware.StripPrefix.class, yaml.http().middlewares().get("app1-strip"));
        assertEquals(List.of("/app1"), strip.prefixes());
        Service.LoadBalancer lb = assertInstanceOf(Service.LoadBalancer.class, yaml.http().services().get("app1"));
        assertEquals(2, lb.servers().size());
        assertEquals(1, lb.servers().get(0).weight(), "weight defaults to 1");
        assertEquals(3, lb.servers().get(1).weight());
        assertTrue(lb.passHostHeader(), "passHostHeader defaults to true");
        assertEquals("wrr", lb.strategy());
        assertEquals(Duration.ofSeconds(5), lb.healthCheck().interval());
        assertEquals(Duration.ofSeconds(5), lb.healthCheck().timeout(), "timeout defaults to 5s");
    }

    @Test
    void keysAndKindsIgnoreCase() {
        DynamicConfig c = ConfigMapper.readString("""
                http:
                  middlewares:
                    strip:
                      stripprefix:
                        PREFIXES: [/a]
                  services:
                    s:
                      loadbalancer:
                        servers:
                          - URL: http://h:1
                """, ConfigMapper.Format.YAML, "d.yml", DynamicConfig.class);
        assertEquals(List.of("/a"), ((Middleware.StripPrefix) c.http().middlewares().get("strip")).prefixes());
        assertEquals("http://h:1", ((Service.LoadBalancer) c.http().services().get("s")).servers().get(0).url());
    }

    @Test
    void writtenBackAsTraefikJson() throws Exception {
        DynamicConfig yaml = ConfigMapper.readString(YAML, ConfigMapper.Format.YAML, "dynamic.yml", DynamicConfig.class);
        String json = ConfigMapper.json().writeValueAsString(yaml.http().services().get("app1"));
        assertTrue(json.startsWith("{\"loadBalancer\":{\"servers\":[{\"url\":\"http://127.0.0.1:8081\",\"weight\":1}"), json);
        assertTrue(json.contains("\"interval\":\"5s\""), json);
        String mw = ConfigMapper.json().writeValueAsString(yaml.http().middlewares().get("app1-strip"));
        assertEquals("{\"stripPrefix\":{\"prefixes\":[\"/app1\"]}}", mw);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("""
                        http:
                          routers:
                            r:
                              rule: Path(`/`)
                              servce: s
                        """, "d.yml:5:", "unknown key http.routers.r.servce: did you mean http.routers.r.service?"),
                Arguments.of("""
                        http:
                          middlewares:
                            m:
                              stripPrefixx:
                                prefixes: [/a]
                        """, "d.yml:3:", "unknown middleware kind \"stripPrefixx\": did you mean stripPrefix?"),
                Arguments.of("""
                        http:
                          middlewares:
                            m:
                              ipWhiteList:
                                sourceRange: [10.0.0.0/8]
                        """, "d.yml:", "Traefik v3 renamed it: use ipAllowList"),
                Arguments.of("""
                        http:
                          middlewares:
                            m:
                              stripPrefix:
                                prefixes: [/a]
                              addPrefix:
                                prefix: /b
                        """, "d.yml:", "is exactly one kind, but this one is both stripPrefix and addPrefix"),
                Arguments.of("""
                        http:
                          services:
                            s: {}
                        """, "d.yml:3:", "a service needs its kind as its one key, one of: loadBalancer, weighted, mirroring, failover"),
                Arguments.of("""
                        http:
                          services:
                            s:
                              loadBalancer:
                                healthCheck:
                                  interval: soon
                        """, "d.yml:6:", "invalid duration \"soon\""),
                Arguments.of("""
                        http:
                          routers:
                            r:
                              rule: Path(`/`)
                             service: s
                        """, "d.yml:5:6:", "YAML syntax error"),
                Arguments.of("""
                        http:
                          services:
                            s:
                              loadBalancer:
                                servers:
                                  - url: http://a
                                    weight: heavy
                        """, "d.yml:7:", "weight"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void brokenFilesNameFileLineAndFix(String yaml, String location, String fix) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigMapper.readString(yaml, ConfigMapper.Format.YAML, "d.yml", DynamicConfig.class));
        assertTrue(e.getMessage().startsWith(location), e.getMessage());
        assertTrue(e.getMessage().contains(fix), e.getMessage());
    }

    @Test
    void locationIndexFindsElementLines() {
        LocationIndex where = LocationIndex.of("dynamic.yml", YAML, ConfigMapper.Format.YAML);
        assertEquals("dynamic.yml:3", where.locate("http", "routers", "app1"));
        assertEquals("dynamic.yml:15", where.locate("http", "services", "app1"));
        LocationIndex toml = LocationIndex.of("dynamic.toml", TOML, ConfigMapper.Format.TOML);
        assertTrue(toml.locate("http", "routers", "app1").startsWith("dynamic.toml"));
    }

    @Test
    void emptyFileIsAnEmptyConfiguration() {
        assertEquals(DynamicConfig.EMPTY, ConfigMapper.readString("", ConfigMapper.Format.YAML, "d.yml", DynamicConfig.class));
        assertEquals(DynamicConfig.EMPTY, ConfigMapper.readString("# nothing yet\n", ConfigMapper.Format.YAML, "d.yml",
                DynamicConfig.class));
    }
}

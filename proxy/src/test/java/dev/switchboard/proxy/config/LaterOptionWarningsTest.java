package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.provider.docker.LabelParser;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.LogCapture;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An option Traefik v3.2 does not know works, and logs one WARN naming where it was set (flag,
 * file:line, label) and the Traefik version that added it, or "Switchboard only".
 */
class LaterOptionWarningsTest {

    @BeforeEach
    void forget() {
        OptionOrigins.forgetWarnings();
    }

    @Test
    void aFlagNamesTheFlagAndTheVersion() {
        try (LogCapture log = new LogCapture(OptionOrigins.class)) {
            StaticConfigLoader.load(List.of("--api.basePath=/proxy", "--entrypoints.web.address=:80"));
            StaticConfigLoader.load(List.of("--api.basePath=/other", "--entrypoints.web.address=:80"));
            List<String> warnings = log.lines(Level.WARN);
            assertEquals(1, warnings.size(), "once per option: " + warnings);
            assertTrue(warnings.get(0).startsWith("flag --api.basePath: --api.basePath was added in Traefik v3.3"), warnings.get(0));
        }
    }

    @Test
    void aFileKeyNamesFileAndLineAndAStrategyValueItsOrigin() throws Exception {
        try (Backend b = new Backend("b"); LogCapture log = new LogCapture(OptionOrigins.class);
                ProxyFixture proxy = ProxyFixture.start("""
                        http:
                          routers:
                            r: {rule: "PathPrefix(`/`)", service: s}
                          services:
                            s:
                              loadBalancer:
                                strategy: leastconn
                                servers: [{url: "%s"}]
                        """.formatted(b.url()))) {
            assertEquals("b", proxy.get("/").getContentAsString(), "the option works");
            List<String> warnings = log.lines(Level.WARN);
            assertTrue(warnings.stream().anyMatch(w -> w.matches(".*dynamic.yml:7: strategy was added in Traefik v3.4.*")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.matches(".*dynamic.yml:7: leastconn is Switchboard only.*")), warnings.toString());
        }
    }

    @Test
    void aLabelNamesTheLabel() {
        try (LogCapture log = new LogCapture(OptionOrigins.class)) {
            LabelParser.parse(Map.of("traefik.docker.allowNonRunning", "true",
                    "traefik.http.services.app1.loadbalancer.passivehealthcheck.maxfailedattempts", "3"), "app1");
            List<String> warnings = log.lines(Level.WARN);
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("label traefik.docker.allownonrunning")
                    && w.contains("added in Traefik v3.6")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("passiveHealthCheck was added in Traefik v3.6")), warnings.toString());
        }
    }
}

package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traefik's {@code --metrics.*} and {@code --api.*} static options: defaults, flags, files, and the errors they give. */
class MetricsAndApiConfigTest {

    @Test
    void prometheusWithTraefiksDefaults() {
        StaticConfig c = StaticConfigLoader.load(List.of("--entrypoints.web.address=:80", "--metrics.prometheus=true"));
        StaticConfig.Prometheus p = c.prometheus();
        assertEquals(List.of(0.1, 0.3, 1.2, 5.0), p.buckets());
        assertTrue(p.addEntryPointsLabels());
        assertFalse(p.addRoutersLabels());
        assertTrue(p.addServicesLabels());
        assertEquals("traefik", p.entryPoint());
        assertFalse(p.manualRouting());
        assertFalse(c.metrics().addInternals());
        assertEquals(":8080", c.entryPoints().get("traefik").address(), "metrics on the traefik entry point create it");
    }

    @Test
    void prometheusOptionsFromFlags() {
        StaticConfig c = StaticConfigLoader.load(List.of("--entrypoints.web.address=:80",
                "--entrypoints.metrics.address=:8082", "--metrics.prometheus.buckets=0.05,0.25,1",
                "--metrics.prometheus.addRoutersLabels", "--metrics.prometheus.addServicesLabels=false",
                "--metrics.prometheus.entryPoint=metrics", "--metrics.prometheus.headerLabels.useragent=User-Agent",
                "--metrics.addInternals=true"));
        StaticConfig.Prometheus p = c.prometheus();
        assertEquals(List.of(0.05, 0.25, 1.0), p.buckets());
        assertTrue(p.addRoutersLabels());
        assertFalse(p.addServicesLabels());
        assertEquals("metrics", p.entryPoint());
        assertEquals(Map.of("useragent", "User-Agent"), p.headerLabels());
        assertTrue(c.metrics().addInternals());
        assertFalse(c.entryPoints().containsKey("traefik"), "nothing needs the traefik entry point");
    }

    @Test
    void prometheusFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("traefik.yml");
        Files.writeString(file, """
                entryPoints:
                  web:
                    address: ":80"
                metrics:
                  prometheus:
                    buckets: [0.1, 0.5]
                    manualRouting: true
                api:
                  dashboard: true
                """);
        StaticConfig c = StaticConfigLoader.load(List.of("--configFile=" + file));
        assertEquals(List.of(0.1, 0.5), c.prometheus().buckets());
        assertTrue(c.prometheus().manualRouting());
        assertFalse(c.api().insecure());
        assertFalse(c.entryPoints().containsKey("traefik"), "manual routing and a secure API need no traefik entry point");
    }

    @Test
    void otherMetricsBackendsAreRefusedWithTheFix() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StaticConfigLoader.load(List.of("--metrics.datadog=true")));
        assertTrue(e.getMessage().contains("use --metrics.prometheus"), e.getMessage());
        assertNull(StaticConfigLoader.load(List.of("--entrypoints.web.address=:80")).metrics());
    }

    @Test
    void badMetricsAndApiOptionsSayWhatToWrite() {
        ConfigException buckets = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--metrics.prometheus.buckets=1,0.5")));
        assertTrue(buckets.getMessage().contains("increasing order"), buckets.getMessage());
        ConfigException notANumber = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--metrics.prometheus.buckets=fast")));
        assertTrue(notANumber.getMessage().contains("--metrics.prometheus.buckets"), notANumber.getMessage());
        ConfigException ep = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--metrics.prometheus.entryPoint=metrics")));
        assertTrue(ep.getMessage().contains("--entrypoints.metrics.address="), ep.getMessage());
        ConfigException label = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--metrics.prometheus.headerLabels.service=X-Service")));
        assertTrue(label.getMessage().contains("cannot be a label name"), label.getMessage());
        ConfigException misspelt = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--metrics.prometheus.addRouterLabels=true")));
        assertTrue(misspelt.getMessage().contains("addRoutersLabels"), misspelt.getMessage());
        ConfigException basePath = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--api.basePath=traefik")));
        assertTrue(basePath.getMessage().contains("starts with /"), basePath.getMessage());
    }
}

package dev.switchboard.lab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model both backends start a lab from: the order, the dependencies, the proxy and its flags,
 * worked out once from the file, with the file's own mistakes said once for both.
 */
class LabModelTest {
    @TempDir
    Path dir;

    private ComposeFile compose(String yaml) throws IOException {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, yaml);
        return ComposeParser.parse(file, Map.of());
    }

    private ProxyModel proxy(String yaml) throws IOException {
        return LabModel.of(compose(yaml)).service("reverse-proxy").proxy().orElseThrow();
    }

    @Test
    void servicesStartAfterWhatTheyDependOn() throws Exception {
        LabModel m = LabModel.of(compose("""
                services:
                  proxy: {image: traefik:v3.2, depends_on: [app]}
                  app: {image: x, depends_on: {db: {condition: service_healthy}}}
                  db: {image: mysql:8.4}
                """));
        assertEquals(List.of("db", "app", "proxy"), m.startOrder());
        assertEquals(List.of(new Dependency("db", Dependency.Condition.HEALTHY)), m.service("app").dependsOn());
        assertEquals(List.of(new Dependency("app", Dependency.Condition.STARTED)), m.service("proxy").dependsOn());
    }

    @Test
    void theFilesOwnMistakesAreComposeErrors() throws Exception {
        ComposeException unknown = assertThrows(ComposeException.class, () -> LabModel.of(compose("""
                services:
                  app: {image: x, depends_on: [database]}
                  db: {image: y}
                """)));
        assertTrue(unknown.getMessage().contains("depends on \"database\", which is not a service"), unknown.getMessage());
        ComposeException cycle = assertThrows(ComposeException.class, () -> LabModel.of(compose("""
                services:
                  a: {image: x, depends_on: [b]}
                  b: {image: y, depends_on: [a]}
                """)));
        assertTrue(cycle.getMessage().contains("cycle: a -> b -> a"), cycle.getMessage());
        ComposeException network = assertThrows(ComposeException.class, () -> LabModel.of(compose("""
                services:
                  a: {image: x, networks: [shared]}
                """)));
        assertTrue(network.getMessage().contains("network \"shared\", which is not declared"), network.getMessage());
        ComposeException volume = assertThrows(ComposeException.class, () -> LabModel.of(compose("""
                services:
                  a: {image: x, volumes: ["data:/data"]}
                """)));
        assertTrue(volume.getMessage().contains("volume \"data\", which is not declared"), volume.getMessage());
        ComposeException condition = assertThrows(ComposeException.class, () -> LabModel.of(compose("""
                services:
                  a: {image: x, depends_on: {b: {condition: service_ready}}}
                  b: {image: y}
                """)));
        assertTrue(condition.getMessage().contains("condition \"service_ready\" is not one of"), condition.getMessage());
        ComposeException healthless = assertThrows(ComposeException.class, () -> LabModel.of(compose("""
                services:
                  a: {image: x, depends_on: {b: {condition: service_healthy}}}
                  b: {image: y, healthcheck: {disable: true}}
                """)));
        assertTrue(healthless.getMessage().contains("waits for b to be healthy, but b has no healthcheck"), healthless.getMessage());
    }

    @Test
    void theProxySeesOnlyItsOwnProjectAndGetsTheSocket() throws Exception {
        ServiceModel s = LabModel.of(compose("""
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--providers.docker, --providers.docker.exposedByDefault=false, --entrypoints.web.address=:80]
                """)).service("reverse-proxy");
        assertTrue(s.isProxy());
        ProxyModel p = s.proxy().orElseThrow();
        assertEquals(List.of("--providers.docker", "--providers.docker.exposedByDefault=false", "--entrypoints.web.address=:80",
                "--providers.docker.constraints=Label(`com.docker.compose.project`,`lab1-grade7-1`)"), p.flagsSeeingOnly("lab1-grade7-1"));
        assertTrue(p.readsDefaultDockerSocket());
        assertEquals(Map.of("web", 80), p.entryPoints());
        assertFalse(p.dashboard());
    }

    @Test
    void aConstraintOfTheStudentsIsKeptAndNarrowed() throws Exception {
        ProxyModel p = proxy("""
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: ["--providers.docker.constraints=Label(`team`,`blue`)", --providers.docker.endpoint=tcp://docker:2375]
                """);
        List<String> flags = p.flagsSeeingOnly("p");
        assertEquals(List.of("--providers.docker.endpoint=tcp://docker:2375",
                "--providers.docker.constraints=(Label(`team`,`blue`)) && Label(`com.docker.compose.project`,`p`)"), flags);
        assertFalse(p.readsDefaultDockerSocket(), "another endpoint: no socket added");
        dev.switchboard.proxy.config.StaticConfigLoader.load(flags); // the proxy accepts what the grader runs
    }

    @Test
    void withoutTheDockerProviderTheCommandIsUntouched() throws Exception {
        ProxyModel p = proxy("""
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--providers.file.filename=/etc/dynamic.yml, --entrypoints.web.address=:80, --api.insecure=true]
                """);
        assertEquals(p.flags(), p.flagsSeeingOnly("p"));
        assertTrue(p.dashboard());
    }

    @Test
    void aFlagTheProxyRejectsIsTheSubmissionsMistake() throws Exception {
        ComposeException e = assertThrows(ComposeException.class, () -> proxy("""
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--providers.dockr, --entrypoints.web.address=:80]
                """));
        assertTrue(e.getMessage().contains("service reverse-proxy: command:") && e.getMessage().contains("dockr"), e.getMessage());
    }

    /** The profile reaches the proxy's environment only, never its command (Traefik refuses flags it does not know). */
    @Test
    void theProfileIsAnEnvironmentVariableOfTheProxyOnly() throws Exception {
        ComposeFile c = compose("""
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--entrypoints.web.address=:80]
                    environment: {TZ: UTC}
                  app: {image: traefik/whoami}
                """);
        LabModel m = LabModel.of(c, "switchboard");
        assertEquals(Map.of("TZ", "UTC", "SWITCHBOARD_PROFILE", "switchboard"), m.service("reverse-proxy").environment());
        assertEquals(List.of("--entrypoints.web.address=:80"), m.service("reverse-proxy").proxy().orElseThrow().flags());
        assertEquals(Map.of(), m.service("app").environment());
        assertEquals(Map.of("TZ", "UTC"), LabModel.of(c).service("reverse-proxy").environment(), "no profile asked: none set");
    }
}

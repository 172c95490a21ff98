package dev.switchboard.proxy.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.testkit.docker.ContainerSpec;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.LogCapture;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traefik v3.2 with {@code --providers.file.directory} (or {@code filename}) naming a path that
 * does not exist, as a volume that is not mounted leaves it: the file provider cannot start
 * ({@code Cannot start the provider *file.Provider error="unable to read directory ..."}, from
 * {@code pkg/provider/file} and the provider aggregator), and the Docker provider's routes keep
 * serving. Switchboard's log line names the path and the likely cause.
 */
class FileProviderMissingPathTest {
    @TempDir
    Path tmp;
    private DockerEngineEmulator engine;
    private Backend backend;
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** The proxy with the Docker provider (one routed container) and the file provider on {@code fileFlag}. */
    private LogCapture startWith(String fileFlag) throws Exception {
        backend = new Backend("app1");
        engine = DockerEngineEmulator.start(tmp.resolve("docker.sock"));
        engine.run(ContainerSpec.compose("demo", "app1", 1).network("demo_default", "127.0.0.1")
                .label("traefik.http.routers.app1.rule", "PathPrefix(`/app1`)")
                .label("traefik.http.services.app1.loadbalancer.server.port", String.valueOf(backend.port())));
        LogCapture log = new LogCapture(FileProvider.class);
        proxy = ProxyFixture.startWith(tmp, null, List.of("--entrypoints.web.address=127.0.0.1:0",
                "--entrypoints.traefik.address=127.0.0.1:0", "--ping",
                "--providers.docker.endpoint=" + engine.unixEndpoint(), fileFlag));
        return log;
    }

    @Test
    void aMissingDirectoryStopsOnlyTheFileProviderAndTheDockerRoutesServe() throws Exception {
        Path missing = tmp.resolve("dynamic");
        try (LogCapture log = startWith("--providers.file.directory=" + missing)) {
            assertEquals("app1", proxy.get("/app1/users").getContentAsString(), "the Docker provider's router serves");
            assertEquals(200, proxy.client().GET(proxy.url("traefik", "/ping")).getStatus(), "the internal provider's routers serve");
            List<String> errors = log.lines(Level.ERROR);
            assertEquals(1, errors.size(), errors.toString());
            String line = errors.get(0);
            assertTrue(line.startsWith("Cannot start the provider file: unable to read directory " + missing), line);
            assertTrue(line.contains("--providers.file.directory=" + missing), "names the flag: " + line);
            assertTrue(line.contains("volume"), "names the likely cause, a volume that is not mounted: " + line);
            assertTrue(line.contains("the other providers keep serving"), line);
        }
        assertTrue(proxy.proxy().runtime().routers().keySet().stream().noneMatch(r -> r.endsWith("@file")));
    }

    @Test
    void aMissingFileStopsOnlyTheFileProvider() throws Exception {
        Path missing = tmp.resolve("dynamic.yml");
        try (LogCapture log = startWith("--providers.file.filename=" + missing)) {
            assertEquals("app1", proxy.get("/app1").getContentAsString());
            String line = log.lines(Level.ERROR).get(0);
            assertTrue(line.startsWith("Cannot start the provider file: unable to read file " + missing + " "), line);
            assertTrue(line.contains("no such file"), line);
        }
    }

    @Test
    void aDirectoryGivenAsFilenameSaysWhichFlagToUse() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("conf"));
        try (LogCapture log = startWith("--providers.file.filename=" + dir)) {
            assertEquals("app1", proxy.get("/app1").getContentAsString());
            String line = log.lines(Level.ERROR).get(0);
            assertTrue(line.contains("it is a directory: use --providers.file.directory=" + dir), line);
        }
    }

    @Test
    void aFileThatAppearsLaterIsNotReadWithoutARestartAsInTraefik() throws Exception {
        Path missing = tmp.resolve("late");
        try (LogCapture log = startWith("--providers.file.directory=" + missing)) {
            Files.createDirectory(missing);
            Files.writeString(missing.resolve("d.yml"), """
                    http:
                      routers:
                        late: {rule: "PathPrefix(`/late`)", service: app1@docker}
                    """);
            Thread.sleep(1000); // a watching provider would have applied it by now
            assertEquals(404, proxy.get("/late").getStatus());
            assertEquals(1, log.lines(Level.ERROR).size());
        }
    }
}

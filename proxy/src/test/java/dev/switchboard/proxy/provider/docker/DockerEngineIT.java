package dev.switchboard.proxy.provider.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider against a real Docker engine on {@code /var/run/docker.sock}: a container started with
 * the {@code docker} CLI is discovered with its address and port label, and taken out when it is
 * paused or stopped. Skipped, saying why, where no engine answers or no image is there to start (no
 * registry is reachable: the CI provisioning builds local {@code switchboard/*} images). Only this
 * test's container is considered ({@code constraints} on a label of its own), so other containers on
 * the engine do not matter.
 */
class DockerEngineIT {
    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String name = "switchboard-it-" + run;
    private DockerProvider provider;
    private String container;

    @BeforeEach
    void engineIsThere() throws Exception {
        assumeTrue(Files.exists(SOCKET), "no Docker engine: " + SOCKET + " does not exist");
        try (DockerClient client = new DockerClient(DockerEndpoint.parse("unix://" + SOCKET), Duration.ofSeconds(10), null, null)
                .start()) {
            client.version();
        } catch (IOException e) {
            assumeTrue(false, "no Docker engine answers on " + SOCKET + ": " + e.getMessage());
        }
        assumeTrue(docker("version", "--format", "{{.Client.Version}}").exitOk(), "the docker CLI is not installed");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (provider != null) {
            provider.close();
        }
        if (container != null) {
            docker("rm", "-f", container);
        }
    }

    /** A local image that has {@code sleep}: a switchboard/* stand-in image first. */
    private Optional<String> image() throws Exception {
        Result images = docker("images", "--format", "{{.Repository}}:{{.Tag}}");
        List<String> all = images.out.lines().filter(l -> !l.contains("<none>")).toList();
        List<String> ordered = new ArrayList<>(all.stream().filter(i -> i.startsWith("switchboard/jre")).toList());
        all.stream().filter(i -> i.startsWith("switchboard/") && !ordered.contains(i)).forEach(ordered::add);
        for (String image : ordered) {
            if (docker("run", "--rm", "--entrypoint", "sleep", image, "0").exitOk()) {
                return Optional.of(image);
            }
        }
        return Optional.empty();
    }

    @Test
    void discoversAContainerByItsLabelsKeepsItWhilePausedAndDropsItOnStop() throws Exception {
        Optional<String> image = image();
        assumeTrue(image.isPresent(), "no local switchboard/* image with sleep to start (no registry is reachable here; "
                + ".ci/provision-docker.sh builds switchboard/jre)");
        Result started = docker("run", "-d", "--name", name, "--entrypoint", "sleep",
                "--label", "switchboard.it=" + run,
                "--label", "traefik.enable=true",
                "--label", "traefik.http.routers.it-" + run + ".rule=Host(`" + run + ".localhost`)",
                "--label", "traefik.http.services.it-" + run + ".loadbalancer.server.port=8080",
                image.get(), "600");
        assertTrue(started.exitOk(), started.err);
        container = started.out.trim();
        String ip = docker("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container).out.trim();

        RecordingListener listener = new RecordingListener();
        provider = new DockerProvider(new StaticConfig.DockerProvider(null, false, null, null,
                "Label(`switchboard.it`, `" + run + "`)", null, null, null, null, null, null));
        provider.start(listener);

        String service = "it-" + run;
        Router router = listener.latest().routers().get(service);
        assertEquals("Host(`" + run + ".localhost`)", router.rule());
        assertEquals(List.of("http://" + ip + ":8080"), listener.servers(service));
        assertEquals(List.of(), provider.warnings());

        // As Traefik v3.2: a paused container is still running for Docker, so it stays a server. A second
        // container's start event makes the provider read the containers again, and shows it did.
        assertTrue(docker("pause", container).exitOk());
        Result other = docker("run", "-d", "--name", name + "-2", "--entrypoint", "sleep",
                "--label", "switchboard.it=" + run, "--label", "traefik.enable=true",
                "--label", "traefik.http.routers.it2-" + run + ".rule=Host(`2." + run + ".localhost`)",
                "--label", "traefik.http.services.it2-" + run + ".loadbalancer.server.port=8080",
                image.get(), "600");
        assertTrue(other.exitOk(), other.err);
        try {
            await().atMost(WAIT).until(() -> listener.latest().routers().containsKey("it2-" + run));
            assertEquals(List.of("http://" + ip + ":8080"), listener.servers(service), "paused: still a server");
        } finally {
            docker("rm", "-f", name + "-2");
        }
        assertTrue(docker("unpause", container).exitOk());

        assertTrue(docker("stop", "-t", "2", container).exitOk());
        await().atMost(WAIT).until(() -> !listener.latest().routers().containsKey(service));
    }

    private record Result(int exit, String out, String err) {
        boolean exitOk() {
            return exit == 0;
        }
    }

    private static Result docker(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(Arrays.asList(args));
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return new Result(-1, "", e.getMessage());
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "", "timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}

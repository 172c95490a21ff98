package dev.switchboard.proxy.provider.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.testkit.docker.ContainerSpec;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import dev.switchboard.proxy.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Docker provider's default event handling is Traefik v3.2's ({@code pkg/provider/docker/pdocker.go}
 * and {@code config.go}): it re-reads the containers only on {@code start}, {@code die} and
 * {@code health_status}; it lists running containers, and a paused one is still running for
 * Docker ({@code State.Running}), so it stays a server; a container whose healthcheck is not
 * {@code healthy} is left out. Each test checks that nothing changed by making a later event that
 * Traefik does react to (another replica starting) and looking at the configuration it produced.
 * The last tests pin Switchboard's {@code eventsAtOnce}, which takes a container out at once.
 */
class DockerEventsAsTraefikTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private DockerEngineEmulator engine;
    private DockerProvider provider;

    @AfterEach
    void stop() throws Exception {
        if (provider != null) {
            provider.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private static ContainerSpec replica(int n) {
        return ContainerSpec.compose("demo", "app1", n).network("demo_default", "10.0.0." + (10 + n)).expose(8081)
                .labels(Map.of("traefik.http.routers.app1.rule", "PathPrefix(`/app1`)"));
    }

    private RecordingListener start(boolean eventsAtOnce, StaticConfig.DockerProvider options) throws Exception {
        RecordingListener listener = new RecordingListener();
        provider = new DockerProvider(options, Duration.ofMillis(100), eventsAtOnce);
        provider.start(listener);
        return listener;
    }

    private RecordingListener start(boolean eventsAtOnce) throws Exception {
        return start(eventsAtOnce, new StaticConfig.DockerProvider(engine.tcpEndpoint(), null, null, null, null, null, null, null,
                null, null, null));
    }

    /** Starts replica {@code n} and waits for the configuration that has it: every event before it was handled. */
    private void startAndSettle(RecordingListener listener, int n) {
        engine.run(replica(n));
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").contains("http://10.0.0." + (10 + n) + ":8081"));
    }

    @Test
    void aPausedContainerStaysAServer() throws Exception {
        engine = DockerEngineEmulator.start();
        String first = engine.run(replica(1));
        RecordingListener listener = start(false);
        engine.pause(first);
        startAndSettle(listener, 2);
        assertEquals(List.of("http://10.0.0.11:8081", "http://10.0.0.12:8081"), listener.servers("app1-demo"),
                "paused: still listed and State.Running, so still a server");
    }

    @Test
    void aStoppingContainerStaysAServerUntilItsDieEvent() throws Exception {
        engine = DockerEngineEmulator.start();
        String first = engine.run(replica(1));
        RecordingListener listener = start(false);
        engine.beginStop(first); // docker stop: kill (SIGTERM) while the application shuts down
        startAndSettle(listener, 2);
        assertTrue(listener.servers("app1-demo").contains("http://10.0.0.11:8081"), "the kill event changes nothing");

        engine.finishStop(first); // the process exits: die, then stop
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").equals(List.of("http://10.0.0.12:8081")));
    }

    @Test
    void onlyStartDieAndHealthStatusEventsReReadTheContainers() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        RecordingListener listener = start(false);
        int updates = listener.updates.size();
        String second = engine.create(replica(2)); // create: no re-read, and a created container is not running anyway
        engine.kill("demo-app1-1", 1); // kill -s HUP: no re-read
        Thread.sleep(500);
        assertEquals(updates, listener.updates.size(), "no new configuration: " + listener.updates);
        engine.start(second);
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").size() == 2);
    }

    @Test
    void aContainerWhoseHealthcheckIsNotHealthyIsNoServer() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        String checked = engine.run(replica(2).healthcheck());
        RecordingListener listener = start(false);
        assertEquals(List.of("http://10.0.0.11:8081"), listener.servers("app1-demo"), "starting: no traffic yet");
        engine.setHealth(checked, DockerEngineEmulator.Health.HEALTHY);
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").size() == 2);
        engine.setHealth(checked, DockerEngineEmulator.Health.UNHEALTHY);
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").size() == 1);
    }

    @Test
    void aKilledContainerLeavesOnItsDieEvent() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        String second = engine.run(replica(2));
        RecordingListener listener = start(false);
        engine.kill(second); // kill (SIGKILL), die
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").equals(List.of("http://10.0.0.11:8081")));
    }

    @Test
    void aDefaultRuleThatDoesNotParseStopsOnlyTheDockerProvider() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        try (LogCapture log = new LogCapture(DockerProvider.class)) {
            RecordingListener listener = start(false, new StaticConfig.DockerProvider(engine.tcpEndpoint(), null,
                    "Host(`{{ normalise .Name }}`)", null, null, null, null, null, null, null, null));
            assertEquals(0, listener.updates.size());
            assertEquals(0, engine.eventSubscribers());
            String error = log.lines(Level.ERROR).get(0);
            assertTrue(error.startsWith("Error while initializing provider docker: "), error);
            assertTrue(error.contains("did you mean normalize?"), error);
        }
    }

    // Switchboard's eventsAtOnce

    @Test
    void eventsAtOnceTakesAPausedContainerOut() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        String second = engine.run(replica(2));
        RecordingListener listener = start(true);
        engine.pause(second);
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").equals(List.of("http://10.0.0.11:8081")));
        engine.unpause(second);
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").size() == 2);
    }

    @Test
    void eventsAtOnceTakesAStoppingContainerOutOnItsKillEvent() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        String second = engine.run(replica(2));
        RecordingListener listener = start(true);
        engine.beginStop(second);
        await().atMost(WAIT).until(() -> listener.servers("app1-demo").equals(List.of("http://10.0.0.11:8081")));
    }
}

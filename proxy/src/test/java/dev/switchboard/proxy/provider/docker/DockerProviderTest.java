package dev.switchboard.proxy.provider.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.testkit.docker.ContainerSpec;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import dev.switchboard.proxy.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider against the Docker Engine emulator over real HTTP (TCP and a Unix socket): first
 * read, every lifecycle event, health, reconnecting after the stream breaks, an engine that is not
 * there yet. These run with Switchboard's {@code eventsAtOnce} (a container out on its first event);
 * Traefik v3.2's event handling, the default, is pinned by {@link DockerEventsAsTraefikTest}.
 */
class DockerProviderTest {
    private static final Map<String, String> APP1 = Map.of(
            "traefik.enable", "true",
            "traefik.http.routers.app1.rule", "Host(`app1.localhost`)",
            "traefik.http.services.app1.loadbalancer.server.port", "8081");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private DockerEngineEmulator engine;
    private DockerProvider provider;
    private final boolean eventsAtOnce = true;

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
        return ContainerSpec.compose("demo", "app1", n).network("demo_shared-network", "10.0.0." + (10 + n)).expose(8080)
                .labels(APP1);
    }

    private static StaticConfig.DockerProvider options(String endpoint) {
        return new StaticConfig.DockerProvider(endpoint, null, null, null, null, null, null, null, null, null, null);
    }

    private RecordingListener startProvider(String endpoint) throws Exception {
        RecordingListener listener = new RecordingListener();
        provider = new DockerProvider(options(endpoint), Duration.ofMillis(100), eventsAtOnce);
        provider.start(listener);
        return listener;
    }

    @Test
    void readsTheContainersOverTheUnixSocketBeforeStartReturns() throws Exception {
        engine = DockerEngineEmulator.start(tmp.resolve("docker.sock"));
        engine.run(replica(1));
        engine.run(replica(2));
        RecordingListener listener = startProvider(engine.unixEndpoint());

        assertEquals(1, listener.updates.size(), "delivered once, before start returned");
        assertEquals("Host(`app1.localhost`)", listener.latest().routers().get("app1").rule());
        assertEquals("app1", listener.latest().routers().get("app1").service());
        assertEquals(List.of("http://10.0.0.11:8081", "http://10.0.0.12:8081"), listener.servers("app1"),
                "the port label wins over the exposed 8080; one server per replica, at its address on the network");
        assertEquals("containers demo-app1-1, demo-app1-2",
                listener.updates.get(0).sources().of("routers", "app1"), "where the router came from, for the API");
    }

    @Test
    void followsStartStopKillPauseAndTakesAStoppingContainerOutAtOnce() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        RecordingListener listener = startProvider(engine.tcpEndpoint());
        assertEquals(List.of("http://10.0.0.11:8081"), listener.servers("app1"));

        String second = engine.run(replica(2));
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 2);

        // docker stop: the kill event (SIGTERM) comes while the container still runs its shutdown.
        engine.beginStop(second);
        assertEquals("running", engine.container(second).orElseThrow().status());
        await().atMost(WAIT).until(() -> listener.servers("app1").equals(List.of("http://10.0.0.11:8081")));
        engine.finishStop(second);
        engine.start(second);
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 2);

        engine.pause(second);
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 1);
        engine.unpause(second);
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 2);

        engine.kill(second, 1); // SIGHUP: a reload, the process keeps running
        engine.kill(second);
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 1);

        engine.remove("demo-app1-1");
        await().atMost(WAIT).until(() -> !listener.latest().routers().containsKey("app1"));
    }

    @Test
    void aSignalThatDoesNotEndTheProcessKeepsTheContainer() throws Exception {
        engine = DockerEngineEmulator.start();
        String id = engine.run(replica(1));
        RecordingListener listener = startProvider(engine.tcpEndpoint());
        engine.kill(id, 1); // docker kill -s HUP
        engine.run(replica(2)); // an event after it, so we know the HUP was handled
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 2);
        assertTrue(listener.updates.stream().allMatch(u -> u.config().http().routers().containsKey("app1")),
                "never taken out: " + listener.updates);
    }

    @Test
    void containersWhoseHealthcheckIsStartingOrUnhealthyGetNoTraffic() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        String checked = engine.run(replica(2).healthcheck());
        RecordingListener listener = startProvider(engine.tcpEndpoint());
        assertEquals(List.of("http://10.0.0.11:8081"), listener.servers("app1"), "starting: no traffic yet");

        engine.setHealth(checked, DockerEngineEmulator.Health.HEALTHY);
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 2);
        engine.setHealth(checked, DockerEngineEmulator.Health.UNHEALTHY);
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 1);
    }

    @Test
    void reconnectsWhenTheEventStreamBreaksAndSaysSo() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        try (LogCapture log = new LogCapture(DockerProvider.class)) {
            RecordingListener listener = startProvider(engine.tcpEndpoint());
            await().atMost(WAIT).until(() -> engine.eventSubscribers() == 1);

            engine.breakEventStreams();
            engine.run(replica(2)); // while the stream is down: found by the re-read after reconnecting
            await().atMost(WAIT).until(() -> listener.servers("app1").size() == 2);
            await().atMost(WAIT).until(() -> engine.eventSubscribers() == 1);
            assertTrue(log.lines(Level.WARN).stream().anyMatch(l -> l.contains("event stream") && l.contains("reconnecting in")),
                    "the break is logged: " + log.lines(Level.WARN));
            await().atMost(WAIT).until(() -> log.lines(Level.INFO).stream().anyMatch(l -> l.contains("reconnected")));

            engine.run(replica(3)); // and events flow again
            await().atMost(WAIT).until(() -> listener.servers("app1").size() == 3);
        }
    }

    @Test
    void anEngineThatIsNotThereIsReportedWithTheFixAndRetried() throws Exception {
        Path socket = tmp.resolve("later.sock");
        RecordingListener listener = startProvider("unix://" + socket);
        assertEquals(1, listener.failures.size(), listener.failures.toString());
        assertTrue(listener.failures.get(0).contains("/var/run/docker.sock:/var/run/docker.sock"),
                "says how to mount the socket: " + listener.failures.get(0));

        engine = DockerEngineEmulator.start(socket);
        engine.run(replica(1));
        await().atMost(WAIT).until(() -> listener.servers("app1").size() == 1);
    }

    @Test
    void withoutWatchTheContainersAreReadOnce() throws Exception {
        engine = DockerEngineEmulator.start();
        engine.run(replica(1));
        RecordingListener listener = new RecordingListener();
        provider = new DockerProvider(new StaticConfig.DockerProvider(engine.tcpEndpoint(), null, null, null, null, false, null,
                null, null, null, null));
        provider.start(listener);
        assertEquals(1, listener.servers("app1").size());
        assertEquals(0, engine.eventSubscribers());
    }
}

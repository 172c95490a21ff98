package dev.switchboard.proxy.provider.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.LogCapture;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course handout's compose examples (Figure 5 with Figure 7, and the StripPrefix example), with
 * only the reverse proxy replaced by Switchboard: {@code docker compose -p demo up} on the Docker
 * Engine emulator, the proxy started with the handout's own flags (addresses made ephemeral, the
 * engine's socket as endpoint), and a real Jetty server for each of the 4 app1 replicas, each on its
 * own loopback address and the same port 8081, as the containers listen.
 */
class HandoutComposeTest {
    private static final String PROJECT = "demo";
    private static final int REQUESTS = 40;

    @TempDir
    Path tmp;
    private DockerEngineEmulator engine;
    private ProxyFixture proxy;
    private final List<Backend> replicas = new ArrayList<>();
    private List<ComposeUp.Container> containers;
    private LogCapture log;

    @AfterEach
    void down() throws Exception {
        if (log != null) {
            log.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (engine != null) {
            engine.close();
        }
        for (Backend b : replicas) {
            b.close();
        }
    }

    /** docker compose up, then the proxy from the reverse-proxy service's command. */
    private void composeUp(String file) throws Exception {
        String yaml = new String(getClass().getResourceAsStream("/handout/" + file).readAllBytes(), StandardCharsets.UTF_8);
        ComposeUp compose = new ComposeUp(yaml);
        assertEquals(4, compose.replicas("app1"));
        String subnet = "127.77." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        int port = startReplicas(subnet);
        engine = DockerEngineEmulator.start(tmp.resolve("docker.sock"));
        containers = compose.up(engine, PROJECT, (service, n) -> subnet + switch (service) {
            case "reverse-proxy" -> 2;
            case "db" -> 3;
            default -> 10 + n;
        }, (service, labels) -> relabel(labels, port));

        List<String> flags = new ArrayList<>();
        for (String flag : compose.command("reverse-proxy")) {
            if (flag.startsWith("--entrypoints.web.address=")) {
                flags.add("--entrypoints.web.address=127.0.0.1:0");
            } else if (flag.startsWith("--accesslog.filepath=")) {
                flags.add("--accesslog.filepath=" + tmp.resolve("access.log"));
            } else {
                flags.add(flag);
            }
        }
        flags.add("--entrypoints.traefik.address=127.0.0.1:0"); // :8080 in the container
        flags.add("--providers.docker.endpoint=" + engine.unixEndpoint()); // the mounted /var/run/docker.sock
        log = new LogCapture(DockerProvider.class);
        proxy = ProxyFixture.startWith(tmp, null, flags);
    }

    /**
     * The 4 replicas' servers: on 8081 like the containers; should another process on this machine
     * hold 8081 on these addresses, all 4 share another free port and the port label says so.
     */
    private int startReplicas(String subnet) throws Exception {
        try {
            for (int n = 1; n <= 4; n++) {
                replicas.add(new Backend("demo-app1-" + n, subnet + (10 + n), 8081));
            }
            return 8081;
        } catch (IOException e) {
            for (Backend b : replicas) {
                b.close();
            }
            replicas.clear();
            replicas.add(new Backend("demo-app1-1", subnet + 11, 0));
            int port = replicas.get(0).port();
            for (int n = 2; n <= 4; n++) {
                replicas.add(new Backend("demo-app1-" + n, subnet + (10 + n), port));
            }
            return port;
        }
    }

    private static Map<String, String> relabel(Map<String, String> labels, int port) {
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.replaceAll((k, v) -> k.endsWith(".server.port") && v.equals("8081") ? String.valueOf(port) : v);
        return out;
    }

    private Map<String, Integer> send(int n, String host, String path) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ContentResponse r = proxy.get(host, path);
            assertEquals(200, r.getStatus(), r.getContentAsString());
            counts.merge(r.getContentAsString(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Integer> evenly(int each, String... names) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, each);
        }
        return m;
    }

    @Test
    void figure7RoutesByHostAndBalancesEvenlyOverTheFourReplicas() throws Exception {
        composeUp("figure5-figure7.yml");

        Map<String, Integer> counts = send(REQUESTS, "app1.localhost", "/users/1");
        assertEquals(evenly(REQUESTS / 4, "demo-app1-1", "demo-app1-2", "demo-app1-3", "demo-app1-4"), new java.util.TreeMap<>(counts));
        for (Backend b : replicas) {
            assertEquals("/users/1", b.last().path(), "Figure 7 has no middleware: the path is passed as is");
            assertEquals("app1.localhost", b.last().header("X-Forwarded-Host"));
        }
        assertEquals(404, proxy.get("other.localhost", "/users/1").getStatus(), "no router for another host");
        assertTrue(log.lines(Level.WARN).isEmpty(), "the handout's labels give no warning: " + log.lines(Level.WARN));

        ServiceInfo app1 = proxy.proxy().runtime().services().get("app1@docker");
        assertEquals(4, ((Service.LoadBalancer) app1.config()).servers().size());
        assertEquals("containers demo-app1-1, demo-app1-2 and 2 more", app1.source());
        assertTrue(proxy.proxy().runtime().routers().containsKey("db-demo@docker"),
                "the db container, exposed by default, gets Traefik's implicit router and service");
    }

    @Test
    void theStripPrefixExampleRoutesByPrefixStripsItAndFollowsScaling() throws Exception {
        composeUp("stripprefix.yml");

        // Another container calling http://reverse-proxy/app1/... on the shared network.
        Map<String, Integer> counts = send(REQUESTS, "reverse-proxy", "/app1/users/1");
        assertEquals(evenly(REQUESTS / 4, "demo-app1-1", "demo-app1-2", "demo-app1-3", "demo-app1-4"), new java.util.TreeMap<>(counts));
        for (Backend b : replicas) {
            assertEquals("/users/1", b.last().path(), "the /app1 prefix is stripped");
            assertEquals("/app1", b.last().header("X-Forwarded-Prefix"));
        }
        send(4, "app1.localhost", "/users");
        for (Backend b : replicas) {
            assertEquals("/users", b.last().path(), "routed by Host: nothing to strip");
        }
        assertTrue(log.lines(Level.WARN).isEmpty(), "the handout's labels give no warning: " + log.lines(Level.WARN));

        // docker compose up --scale app1=3: compose stops the fourth replica.
        String fourth = containers.stream().filter(c -> c.service().equals("app1") && c.number() == 4).findFirst()
                .orElseThrow().id();
        engine.stop(fourth);
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Service.LoadBalancer) proxy.proxy().runtime().services()
                .get("app1@docker").config()).servers().size() == 3);
        int before = replicas.get(3).count();
        counts = send(30, "reverse-proxy", "/app1/users/2");
        assertEquals(evenly(10, "demo-app1-1", "demo-app1-2", "demo-app1-3"), new java.util.TreeMap<>(counts));
        assertEquals(before, replicas.get(3).count(), "nothing reaches the stopped replica");
    }
}

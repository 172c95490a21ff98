package dev.switchboard.lab.topology;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Ports;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.grading.LabContext;
import dev.switchboard.lab.testing.Docker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;

/**
 * The containers backend on its own, with what later labs need: a proxy on two networks with the
 * file provider reading a bind-mounted folder, two producer replicas on one of them with a named
 * volume; then what checks do to it: reach one replica directly, read a file out of a container,
 * edit a mounted file, pause, scale, kill, stop, read logs. The tests run in order on one topology.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerTopologyIT {
    private static final String PROXY = "reverse-proxy";

    private Path dir;
    private final Path root = LabFolders.root();
    private String project;
    private ContainerTopology topology;
    private LabContext lab;
    private DockerClient docker;

    @BeforeAll
    void start() throws Exception {
        Docker.assumeAvailable();
        docker = DockerClientFactory.instance().client();
        dir = Files.createTempDirectory("topology-it");
        Files.createDirectories(dir.resolve("dynamic"));
        Files.writeString(dir.resolve("dynamic/middlewares.yml"), """
                http:
                  middlewares:
                    tagged:
                      headers:
                        customResponseHeaders:
                          X-Through: file-provider
                """);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                name: topology-it
                networks:
                  front: {}
                  back: {}
                volumes:
                  scratch: {}
                services:
                  reverse-proxy:
                    build:
                      context: %s
                    command:
                      - --api.insecure=true
                      - --providers.docker
                      - --providers.docker.exposedByDefault=false
                      - --providers.file.directory=/etc/switchboard/dynamic
                      - --accesslog=true
                      - --accesslog.filepath=/tmp/access.log
                      - --entrypoints.web.address=:80
                    ports:
                      - "80:80"
                      - "8080:8080"
                    volumes:
                      - ./dynamic:/etc/switchboard/dynamic:ro
                    networks: [front, back]
                  app:
                    build:
                      context: %s
                    deploy:
                      replicas: 2
                    volumes:
                      - scratch:/data
                    networks: [back]
                    labels:
                      - traefik.enable=true
                      - traefik.http.routers.app.rule=Host(`app.localhost`)
                      - traefik.http.services.app.loadbalancer.server.port=8081
                """.formatted(root.resolve("proxy"), root.resolve("sample-producer")));
        project = "topology-it-" + ProcessHandle.current().pid();
        ComposeFile compose = ComposeParser.parse(file, ContainerTopology.interpolation(file)).withProject(project);
        // These tests check the lab tool's kill, stop, pause and scale on a real engine, through the proxy: it runs
        // Switchboard's improvements (a paused or stopped replica out at once). Under Traefik v3.2's behaviour a
        // paused container stays a server (DockerEngineIT pins that), and requests to it wait.
        topology = ContainerTopology.start(root, compose, line -> System.out.println("[topology-it] " + line),
                new TopologyOptions("switchboard", null));
        lab = new LabContext(topology, PROXY);
    }

    @AfterAll
    void stop() throws Exception {
        if (topology == null) {
            return;
        }
        lab.close();
        topology.close();
        assertTrue(projectContainers().isEmpty(), "close removes every container of the run");
        assertTrue(docker.listNetworksCmd().withNameFilter(project + "_").exec().isEmpty(), "and its networks");
        assertTrue(docker.listVolumesCmd().exec().getVolumes().stream().noneMatch(v -> v.getName().startsWith(project + "_")),
                "and its named volumes");
        assertFalse(Files.exists(dir.resolve("dynamic/extra.yml")), "a file a check wrote is removed again");
        assertTrue(Files.exists(dir.resolve("dynamic/middlewares.yml")), "the lab's own files stay");
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private List<Container> projectContainers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("com.docker.compose.project", project)).exec();
    }

    private InspectContainerResponse inspect(String service, int n) {
        return docker.inspectContainerCmd(project + "-" + service + "-" + n).exec();
    }

    private String instanceOf(int replica) throws Exception {
        var at = topology.direct("app", replica, 8081);
        ContentResponse r = lab.http().GET("http://" + at.getHostString() + ":" + at.getPort() + "/instance");
        assertEquals(200, r.getStatus(), r.getContentAsString());
        return LabContext.instance(r);
    }

    private Set<String> answering(int requests) {
        return new TreeSet<>(lab.spread(requests, i -> lab.request("app.localhost", "/instance"), LabContext::instance).keySet());
    }

    @Test
    @Order(1)
    void containersNetworksAndLabelsAreCompose() {
        List<String> names = projectContainers().stream().map(c -> c.getNames()[0].substring(1)).sorted().toList();
        assertEquals(List.of(project + "-app-1", project + "-app-2", project + "-reverse-proxy-1"), names);
        InspectContainerResponse app2 = inspect("app", 2);
        Map<String, String> labels = app2.getConfig().getLabels();
        assertEquals("app", labels.get("com.docker.compose.service"));
        assertEquals("2", labels.get("com.docker.compose.container-number"));
        assertEquals("False", labels.get("com.docker.compose.oneoff"));
        assertEquals("true", labels.get("traefik.enable"));
        assertEquals(Set.of(project + "_back"), app2.getNetworkSettings().getNetworks().keySet());
        assertTrue(app2.getNetworkSettings().getNetworks().get(project + "_back").getAliases().contains("app"));
        InspectContainerResponse proxy = inspect(PROXY, 1);
        assertEquals(Set.of(project + "_front", project + "_back"), proxy.getNetworkSettings().getNetworks().keySet());
        assertTrue(Arrays.asList(proxy.getArgs()).contains(
                "--providers.docker.constraints=Label(`com.docker.compose.project`,`" + project + "`)"),
                "the proxy only sees its own project: " + Arrays.toString(proxy.getArgs()));
        List<String> binds = Arrays.stream(proxy.getHostConfig().getBinds()).map(Bind::toString).toList();
        assertTrue(binds.stream().anyMatch(b -> b.endsWith(":/var/run/docker.sock:ro")), "the socket, read-only: " + binds);
        assertTrue(binds.contains(dir.resolve("dynamic") + ":/etc/switchboard/dynamic:ro"), binds::toString);
        Ports.Binding[] web = proxy.getNetworkSettings().getPorts().getBindings()
                .get(com.github.dockerjava.api.model.ExposedPort.tcp(80));
        assertEquals("127.0.0.1", web[0].getHostIp(), "published on loopback only");
        assertNotEquals("80", web[0].getHostPortSpec(), "on a free port, not the one the file names");
        assertEquals(List.of(1, 2), topology.replicas("app"));
    }

    @Test
    @Order(2)
    void requestsThroughThePublishedPortReachBothReplicas() {
        assertEquals(2, answering(20).size());
        assertEquals("127.0.0.1", lab.web().getHost());
    }

    @Test
    @Order(3)
    void directReachesOneReplicaForFaultInjection() throws Exception {
        String one = instanceOf(1);
        assertNotEquals(one, instanceOf(2));
        var at = topology.direct("app", 1, 8081);
        String admin = "http://" + at.getHostString() + ":" + at.getPort() + "/admin/faults";
        ContentResponse set = lab.http().newRequest(admin + "?errorRate=1").method("PATCH")
                .headers(h -> h.put("X-Admin-Token", "switchboard")).send();
        assertEquals(200, set.getStatus(), set.getContentAsString());
        try {
            ContentResponse failing = lab.http().GET("http://" + at.getHostString() + ":" + at.getPort() + "/users");
            assertTrue(failing.getStatus() >= 500, "replica 1 now fails: " + failing.getStatus());
            var other = topology.direct("app", 2, 8081);
            assertEquals(200, lab.http().GET("http://" + other.getHostString() + ":" + other.getPort() + "/users").getStatus());
        } finally {
            lab.http().newRequest(admin).method("DELETE").headers(h -> h.put("X-Admin-Token", "switchboard")).send();
        }
        assertThrows(IllegalArgumentException.class, () -> topology.published("app", 8081), "app publishes no port");
        assertThrows(IllegalArgumentException.class, () -> topology.direct("app", 1, 9999));
    }

    @Test
    @Order(4)
    void fileReadsAFileOutOfAContainer() {
        String path = "/file-check-" + System.nanoTime();
        lab.spread(1, i -> lab.request("app.localhost", path), LabContext::instance);
        await().atMost(Duration.ofSeconds(30)).until(() -> topology.file(PROXY, 1, "/tmp/access.log").orElse("").contains(path));
        assertTrue(topology.file(PROXY, 1, "/no/such/file").isEmpty());
    }

    @Test
    @Order(5)
    void writeFileChangesWhatTheProxyReadsThroughTheBindMount() {
        topology.writeFile("dynamic/extra.yml", """
                http:
                  routers:
                    extra:
                      rule: Host(`extra.localhost`)
                      service: app@docker
                      middlewares: [tagged]
                """);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ContentResponse r = lab.get("extra.localhost", "/instance");
            return r.getStatus() == 200 && "file-provider".equals(r.getHeaders().get("X-Through"));
        });
    }

    @Test
    @Order(6)
    void pauseTakesAReplicaOutAndUnpausePutsItBack() throws Exception {
        String one = instanceOf(1);
        String two = instanceOf(2);
        topology.pause("app", 1);
        assertTrue(inspect("app", 1).getState().getPaused());
        await().atMost(Duration.ofSeconds(60)).until(() -> answering(6).equals(Set.of(two)));
        topology.unpause("app", 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> answering(10).equals(new TreeSet<>(Set.of(one, two))));
    }

    @Test
    @Order(7)
    void scaleStartsTheNextNumbersAndRemovesTheHighest() throws Exception {
        topology.scale("app", 3);
        assertEquals(List.of(1, 2, 3), topology.replicas("app"));
        assertEquals(Set.of(project + "_back"), inspect("app", 3).getNetworkSettings().getNetworks().keySet());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> answering(12).size() == 3);
        topology.scale("app", 2);
        assertEquals(List.of(1, 2), topology.replicas("app"));
        assertEquals(2, projectContainers().stream().filter(c -> "app".equals(c.getLabels().get("com.docker.compose.service"))).count());
    }

    @Test
    @Order(8)
    void killAndStopEndContainersThatStayListed() throws Exception {
        String one = instanceOf(1);
        topology.kill("app", 2);
        InspectContainerResponse.ContainerState killed = inspect("app", 2).getState();
        assertFalse(killed.getRunning());
        assertEquals(137L, killed.getExitCodeLong(), "SIGKILL");
        assertEquals(List.of(1, 2), topology.replicas("app"), "a killed container is still there, as in docker ps -a");
        await().atMost(Duration.ofSeconds(30)).until(() -> answering(6).equals(Set.of(one)));
        topology.kill("app", 2); // already dead: no error, like the simulation
        topology.stop("app", 1);
        InspectContainerResponse.ContainerState stopped = inspect("app", 1).getState();
        assertFalse(stopped.getRunning());
        assertNotEquals(137L, stopped.getExitCodeLong(), "stopped by SIGTERM within the grace period, not killed after it");
        String logs = topology.logs("app");
        assertTrue(logs.lines().anyMatch(l -> l.startsWith(project + "-app-1 | ")), logs);
        assertTrue(logs.lines().anyMatch(l -> l.startsWith(project + "-app-2 | ")), logs);
    }
}

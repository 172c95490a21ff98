package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.docker.ContainerSpec;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine client: what it reads of Docker's JSON, version negotiation, errors. */
class DockerClientTest {

    /** A {@code docker inspect} of a compose replica from Docker 27.5 (abridged: fields the provider ignores cut). */
    private static final String INSPECT = """
            {
              "Id": "5f1c3f2d9a0b",
              "Name": "/demo-app1-2",
              "State": {"Status": "running", "Running": true, "Paused": false, "Restarting": false, "Pid": 4242,
                        "Health": {"Status": "healthy", "FailingStreak": 0, "Log": []}},
              "HostConfig": {"NetworkMode": "demo_shared-network", "PortBindings": {"8081/tcp": [{"HostIp": "", "HostPort": "18081"}]}},
              "Config": {
                "Image": "demo-app1",
                "ExposedPorts": {"8081/tcp": {}, "5005/tcp": {}, "53/udp": {}},
                "Labels": {"com.docker.compose.project": "demo", "com.docker.compose.service": "app1",
                           "traefik.enable": "true"}
              },
              "NetworkSettings": {
                "Ports": {"5005/tcp": null, "53/udp": null, "8081/tcp": [{"HostIp": "0.0.0.0", "HostPort": "18081"},
                                                                     {"HostIp": "::", "HostPort": "18081"}]},
                "Networks": {"demo_shared-network": {"NetworkID": "9e1c", "IPAddress": "172.18.0.5", "IPPrefixLen": 16,
                                                     "GlobalIPv6Address": "", "Aliases": ["demo-app1-2", "app1"]}}
              }
            }
            """;

    @Test
    void readsWhatTheProviderNeedsFromARealInspect() throws Exception {
        DockerContainer c = DockerClient.parseInspect(new ObjectMapper().readTree(INSPECT));
        assertEquals("demo-app1-2", c.name(), "without Docker's leading slash");
        assertEquals("running", c.status());
        assertEquals("healthy", c.health());
        assertEquals("demo_shared-network", c.networkMode());
        assertEquals("172.18.0.5", c.networks().get("demo_shared-network").ipAddress());
        assertEquals(List.of("53/udp", "5005/tcp", "8081/tcp"),
                c.ports().stream().map(p -> p.number() + "/" + p.protocol()).toList(), "by number");
        DockerContainer.Port published = c.ports().get(2);
        assertEquals("0.0.0.0", published.hostIp());
        assertEquals("18081", published.hostPort());
        assertEquals("app1", c.composeService());
    }

    @Test
    void aStoppedContainerWithoutHealthcheckOrAddress() throws Exception {
        DockerContainer c = DockerClient.parseInspect(new ObjectMapper().readTree("""
                {"Id": "x", "Name": "/old", "State": {"Status": "exited", "Running": false},
                 "Config": {"Labels": null}, "NetworkSettings": {"Ports": {}, "Networks": {"bridge": {"IPAddress": ""}}}}
                """));
        assertEquals("exited", c.status());
        assertEquals("", c.health());
        assertEquals(Map.of(), c.labels());
        assertEquals("", c.networks().get("bridge").ipAddress());
    }

    @Test
    void negotiatesTheApiVersionAndReportsErrorsWithTheEnginesMessage() throws Exception {
        try (DockerEngineEmulator engine = DockerEngineEmulator.start();
                DockerClient client = new DockerClient(DockerEndpoint.parse(engine.tcpEndpoint()), Duration.ofSeconds(10), null, null)
                        .start()) {
            DockerClient.ServerVersion v = client.version();
            assertEquals(DockerEngineEmulator.API_VERSION, v.apiVersion());
            assertEquals("/v1.47", client.apiPrefix());
            String id = engine.run(ContainerSpec.named("solo").network("bridge", "172.17.0.2").expose(80));
            assertEquals(List.of(id), client.listContainerIds());
            assertEquals("172.17.0.2", client.inspect(id).orElseThrow().networks().get("bridge").ipAddress());
            assertTrue(client.inspect("nope").isEmpty(), "404: gone");
        }
        assertTrue(DockerClient.compareVersions("1.9", "1.24") < 0);
        assertTrue(DockerClient.compareVersions("1.51", "1.47") > 0);
    }

    @Test
    void anUnreachableEngineIsOneReadableMessage() throws Exception {
        try (DockerClient client = new DockerClient(DockerEndpoint.parse("unix:///nonexistent/docker.sock"), Duration.ofSeconds(5),
                null, null).start()) {
            DockerClient.DockerException e = org.junit.jupiter.api.Assertions.assertThrows(DockerClient.DockerException.class,
                    client::version);
            assertTrue(e.getMessage().startsWith("cannot reach the Docker engine at unix:///nonexistent/docker.sock"), e.getMessage());
            assertEquals(0, e.status());
        }
    }
}

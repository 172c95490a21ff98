package dev.switchboard.lab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.compose.ComposeParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which simulated containers reach which, as Docker's networks decide. */
class NetworksTest {
    @TempDir
    Path dir;

    /** The proxy and app1 on shared-network; db on shared-network and default; app2 forgot its networks. */
    private Networks networks() throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                name: demo
                networks:
                  shared-network: {}
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    networks: [shared-network]
                  db:
                    image: mysql:8.4
                    networks: [shared-network, default]
                  app1:
                    image: traefik/whoami
                    deploy:
                      replicas: 2
                    networks: [shared-network]
                  app2:
                    image: traefik/whoami
                """);
        return new Networks(LabModel.of(ComposeParser.parse(file, Map.of())));
    }

    @Test
    void servicesReachEachOtherOnlyOnANetworkTheyShare() throws Exception {
        Networks n = networks();
        assertEquals(Set.of("default"), n.of("app2"), "no networks: compose's default");
        assertTrue(n.share("app1", "reverse-proxy"));
        assertTrue(n.share("app2", "db"), "both on default");
        assertFalse(n.share("app2", "reverse-proxy"));
        assertFalse(n.share("app1", "app2"));
    }

    @Test
    void eachServiceResolvesTheNamesOfItsNetworksOnly() throws Exception {
        Map<String, Integer> replicas = new LinkedHashMap<>(Map.of("reverse-proxy", 1));
        replicas.put("db", 1);
        replicas.put("app1", 2);
        replicas.put("app2", 1);
        String hosts = networks().hostsFile("app1", replicas, (service, r) -> "127.9." + service.length() + "." + r);
        assertTrue(hosts.contains("127.9.13.1 reverse-proxy demo-reverse-proxy-1\n"), hosts);
        assertTrue(hosts.contains("127.9.2.1 db demo-db-1\n"), hosts);
        assertTrue(hosts.contains("127.9.4.2 app1 demo-app1-2\n"), hosts);
        assertFalse(hosts.contains("app2"), hosts);
        assertTrue(hosts.endsWith("127.0.0.1 localhost\n"), hosts);
    }

    @Test
    void theProxyIsToldAnAddressItCannotReachOnlyForNetworksNoProxyIsOn() throws Exception {
        Networks n = networks();
        assertTrue(n.proxyReaches("shared-network", ServicePlan.Kind.WHOAMI));
        assertFalse(n.proxyReaches("default", ServicePlan.Kind.WHOAMI));
        assertTrue(n.proxyReaches("default", ServicePlan.Kind.PROXY), "the proxy's own container");
        assertEquals("demo_shared-network", n.engineName("shared-network"));
    }
}

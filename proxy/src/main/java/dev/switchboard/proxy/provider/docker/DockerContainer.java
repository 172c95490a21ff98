package dev.switchboard.proxy.provider.docker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the provider needs of one container, as {@code GET /containers/{id}/json} describes it:
 * labels, state, Docker health status, networks with addresses, and ports (exposed and published).
 *
 * @param name the container name without Docker's leading slash ({@code demo-app1-1})
 * @param status {@code State.Status}: created, running, paused, restarting, removing, exited, dead
 * @param health {@code State.Health.Status} (starting, healthy, unhealthy), or "" without a healthcheck
 * @param networkMode {@code HostConfig.NetworkMode}: a network name, {@code host}, {@code container:<id>}...
 * @param networks by network name, in name order
 * @param ports exposed ports in ascending order, with their host bindings when published
 */
public record DockerContainer(
        String id,
        String name,
        Map<String, String> labels,
        String status,
        String health,
        String networkMode,
        Map<String, Network> networks,
        List<Port> ports) {

    public DockerContainer {
        name = name == null ? "" : name.startsWith("/") ? name.substring(1) : name;
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        status = status == null ? "" : status;
        health = health == null ? "" : health;
        networkMode = networkMode == null ? "" : networkMode;
        networks = networks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(networks));
        List<Port> sorted = new ArrayList<>(ports == null ? List.of() : ports);
        sorted.sort((a, b) -> a.number() != b.number() ? Integer.compare(a.number(), b.number())
                : a.protocol().compareTo(b.protocol()));
        ports = List.copyOf(sorted);
    }

    /** A network the container is attached to, and its address there. */
    public record Network(String name, String ipAddress, String networkId) {
        public Network {
            ipAddress = ipAddress == null ? "" : ipAddress;
        }
    }

    /**
     * A port the container exposes ({@code 8081/tcp}); {@code hostIp}/{@code hostPort} are set when
     * it is published ({@code ports: "8081:8081"}), else null.
     */
    public record Port(int number, String protocol, String hostIp, String hostPort) {
        public Port {
            protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        }

        /** Parses Docker's {@code "8081/tcp"} key; null if it is not a port. */
        public static Port parse(String key, String hostIp, String hostPort) {
            String[] parts = key.split("/", 2);
            try {
                return new Port(Integer.parseInt(parts[0].trim()), parts.length > 1 ? parts[1] : "tcp", hostIp, hostPort);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    public boolean isRunning() {
        return "running".equals(status);
    }

    /**
     * Docker's {@code State.Running}: true while the process exists, so also when paused or
     * restarting. Traefik v3.2 lists such containers ({@code ContainerList} without {@code all}) and
     * keeps those whose inspected state says running: a paused container stays a server.
     */
    public boolean isUp() {
        return "running".equals(status) || "paused".equals(status) || "restarting".equals(status);
    }

    /** {@code com.docker.compose.project}, or null for a container not started by compose. */
    public String composeProject() {
        String p = labels.get("com.docker.compose.project");
        return p == null || p.isEmpty() ? null : p;
    }

    /** {@code com.docker.compose.service}, or null. */
    public String composeService() {
        String s = labels.get("com.docker.compose.service");
        return s == null || s.isEmpty() ? null : s;
    }
}

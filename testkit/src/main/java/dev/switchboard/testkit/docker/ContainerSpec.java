package dev.switchboard.testkit.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an emulated container is made from: what {@code docker create} / compose would set. A
 * fluent builder: {@code ContainerSpec.compose("demo", "app1", 1).network("demo_shared-network",
 * "127.0.0.11").expose(8081).labels(handoutLabels)}.
 */
public final class ContainerSpec {
    private String name;
    private String image = "switchboard/emulated:latest";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> networks = new LinkedHashMap<>();
    private final List<String> exposedPorts = new ArrayList<>();
    private final Map<String, String> published = new LinkedHashMap<>();
    private String networkMode;
    private boolean healthcheck;

    private ContainerSpec(String name) {
        this.name = name;
    }

    /** A container named {@code name} (no leading slash). */
    public static ContainerSpec named(String name) {
        return new ContainerSpec(name);
    }

    /**
     * Replica {@code number} of compose service {@code service} in project {@code project}: named
     * {@code <project>-<service>-<number>} with the {@code com.docker.compose.*} labels compose sets.
     */
    public static ContainerSpec compose(String project, String service, int number) {
        ContainerSpec spec = new ContainerSpec(project + "-" + service + "-" + number);
        spec.image = project + "-" + service + ":latest";
        spec.labels.put("com.docker.compose.project", project);
        spec.labels.put("com.docker.compose.service", service);
        spec.labels.put("com.docker.compose.container-number", String.valueOf(number));
        spec.labels.put("com.docker.compose.oneoff", "False");
        spec.labels.put("com.docker.compose.version", "2.32.4");
        spec.labels.put("com.docker.compose.project.working_dir", "/home/student/" + project);
        spec.labels.put("com.docker.compose.project.config_files", "/home/student/" + project + "/docker-compose.yml");
        return spec;
    }

    public ContainerSpec name(String newName) {
        this.name = newName;
        return this;
    }

    public ContainerSpec image(String newImage) {
        this.image = newImage;
        return this;
    }

    public ContainerSpec label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    public ContainerSpec labels(Map<String, String> more) {
        labels.putAll(more);
        return this;
    }

    /**
     * Compose's {@code labels:} list form ({@code "traefik.enable=true"}): each entry splits at its
     * first {@code =}.
     */
    public ContainerSpec labels(List<String> keyEqualsValue) {
        for (String kv : keyEqualsValue) {
            int eq = kv.indexOf('=');
            labels.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return this;
    }

    /** Attaches the container to {@code network} with address {@code ip} (given while it runs). */
    public ContainerSpec network(String network, String ip) {
        networks.put(network, ip);
        return this;
    }

    /** An exposed port ({@code EXPOSE 8081} in the image, {@code expose:} in compose), TCP. */
    public ContainerSpec expose(int port) {
        exposedPorts.add(port + "/tcp");
        return this;
    }

    /** An exposed port with its protocol: {@code "53/udp"}. */
    public ContainerSpec expose(String portAndProtocol) {
        exposedPorts.add(portAndProtocol.contains("/") ? portAndProtocol : portAndProtocol + "/tcp");
        return this;
    }

    /** A published port ({@code ports: "8081:8081"}): exposed, and bound on the host at {@code hostIp:hostPort}. */
    public ContainerSpec publish(int port, String hostIp, int hostPort) {
        expose(port);
        published.put(port + "/tcp", hostIp + ":" + hostPort);
        return this;
    }

    /** {@code HostConfig.NetworkMode}: {@code host}, {@code container:<id>}...; default the first network's name. */
    public ContainerSpec networkMode(String mode) {
        this.networkMode = mode;
        return this;
    }

    /** The image has a HEALTHCHECK: the container's health is {@code starting} until set. */
    public ContainerSpec healthcheck() {
        this.healthcheck = true;
        return this;
    }

    String name() {
        return name;
    }

    String image() {
        return image;
    }

    Map<String, String> labels() {
        return labels;
    }

    Map<String, String> networks() {
        return networks;
    }

    List<String> exposedPorts() {
        return exposedPorts;
    }

    Map<String, String> published() {
        return published;
    }

    String networkMode() {
        if (networkMode != null) {
            return networkMode;
        }
        return networks.isEmpty() ? "default" : networks.keySet().iterator().next();
    }

    boolean hasHealthcheck() {
        return healthcheck;
    }
}

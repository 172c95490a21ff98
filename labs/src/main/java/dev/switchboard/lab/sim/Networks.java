package dev.switchboard.lab.sim;

import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.model.ServiceModel;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Compose networks, as far as the simulation can keep them apart. On Docker, containers reach each
 * other only on a network they share: a service name resolves only there (Docker's embedded DNS), and
 * traffic to an address on another bridge network is dropped. Simulated containers all live on
 * loopback, where any process reaches any address, so the simulation keeps the two effects a lab can
 * see: each service resolves only the names of services it shares a network with (its own hosts
 * file), and the proxy's Docker provider is told, for a network no proxy is on, an address where
 * nothing listens. A compose file that forgets a service's {@code networks:} then fails simulated as
 * it fails on Docker (refused at once instead of a timeout), instead of passing.
 */
final class Networks {
    /** The network compose puts a service on when it names none. */
    static final String DEFAULT = "default";

    private final String project;
    private final Map<String, Set<String>> byService = new LinkedHashMap<>();
    private final Set<String> proxyNetworks = new LinkedHashSet<>();
    private final boolean anyProxy;

    Networks(LabModel model) {
        this.project = model.project();
        boolean proxy = false;
        for (ServiceModel s : model.services()) {
            byService.put(s.name(), s.networks());
            if (s.isProxy()) {
                proxy = true;
                proxyNetworks.addAll(s.networks());
            }
        }
        this.anyProxy = proxy;
    }

    Set<String> of(String service) {
        return byService.getOrDefault(service, Set.of(DEFAULT));
    }

    /** Whether {@code a} can reach {@code b} by name: they share a network. */
    boolean share(String a, String b) {
        return of(a).stream().anyMatch(of(b)::contains);
    }

    /**
     * Whether the proxy reaches a container (of {@code kind}) on {@code network}: a proxy is on that
     * network, or the container is a proxy itself. Without a proxy in the file, nothing is hidden.
     */
    boolean proxyReaches(String network, ServicePlan.Kind kind) {
        return !anyProxy || kind == ServicePlan.Kind.PROXY || proxyNetworks.contains(network);
    }

    /** The network's name on the engine: {@code lab4_shared-network}. */
    String engineName(String network) {
        return project + "_" + network;
    }

    /**
     * The hosts file of {@code service}: the names Docker's DNS answers for it, those of the services
     * it shares a network with ({@code db}, {@code lab1-db-1}), at their replicas' addresses.
     */
    String hostsFile(String service, Map<String, Integer> replicas, BiFunction<String, Integer, String> address) {
        StringBuilder hosts = new StringBuilder("# the service names " + service + " resolves: those on its networks "
                + String.join(", ", of(service)) + ", as Docker's DNS answers them\n");
        replicas.forEach((other, count) -> {
            if (!share(service, other)) {
                return;
            }
            for (int n = 1; n <= Math.max(1, count); n++) {
                hosts.append(address.apply(other, n)).append(' ').append(other).append(' ').append(project).append('-')
                        .append(other).append('-').append(n).append('\n');
            }
        });
        hosts.append("127.0.0.1 localhost\n");
        return hosts.toString();
    }
}

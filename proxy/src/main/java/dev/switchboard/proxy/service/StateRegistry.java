package dev.switchboard.proxy.service;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runtime state by identity, outliving configurations: each service's servers ({@link ServerState})
 * keyed by service name and URL. Builders ask for state here, so a reload that keeps a server keeps
 * its health, balancer position and counters; {@link #retain} forgets what the new configuration
 * dropped.
 */
public final class StateRegistry {
    private final Map<String, Map<String, ServerState>> servers = new ConcurrentHashMap<>();

    /** The state of {@code url} in {@code service}, created on first use; its weight is updated. */
    public ServerState server(String service, String url, int weight) {
        ServerState state = servers.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(url, u -> new ServerState(service, u, weight));
        state.weight(weight);
        return state;
    }

    /** The servers currently known for {@code service}. */
    public Collection<ServerState> servers(String service) {
        Map<String, ServerState> m = servers.get(service);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** Drops state of services and servers that are no longer configured. */
    public void retain(Map<String, Set<String>> urlsByService) {
        servers.keySet().retainAll(urlsByService.keySet());
        servers.forEach((service, byUrl) -> byUrl.keySet().retainAll(urlsByService.get(service)));
    }
}

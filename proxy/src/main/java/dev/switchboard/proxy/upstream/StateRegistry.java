package dev.switchboard.proxy.upstream;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runtime state by identity, outliving configurations: each service's servers ({@link ServerState})
 * keyed by service name and URL, and the children of weighted services keyed by service name and
 * child name. Builders ask for state here, so a reload that keeps a server keeps its health,
 * balancer position and counters; {@link #retain} forgets what the new configuration dropped.
 */
public final class StateRegistry {
    private final Map<String, Map<String, ServerState>> servers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, ServerState>> children = new ConcurrentHashMap<>();

    /** The state of {@code url} in {@code service}, created on first use; its weight is updated. */
    public ServerState server(String service, String url, int weight) {
        return state(servers, service, url, weight);
    }

    /** The state of child service {@code child} in weighted service {@code service}; its weight is updated. */
    public ServerState child(String service, String child, int weight) {
        return state(children, service, child, weight);
    }

    private static ServerState state(Map<String, Map<String, ServerState>> map, String service, String key, int weight) {
        ServerState state = map.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new ServerState(service, k, weight));
        state.weight(weight);
        return state;
    }

    /** The servers currently known for {@code service} (a loadBalancer service). */
    public Collection<ServerState> servers(String service) {
        Map<String, ServerState> m = servers.get(service);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** The children currently known for {@code service} (a weighted service), by child name. */
    public Collection<ServerState> children(String service) {
        Map<String, ServerState> m = children.get(service);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /**
     * Drops the state of services and servers that are no longer configured: {@code keysByService}
     * holds, per service, its server URLs (loadBalancer) or child names (weighted).
     */
    public void retain(Map<String, Set<String>> keysByService) {
        for (Map<String, Map<String, ServerState>> map : List.of(servers, children)) {
            map.keySet().retainAll(keysByService.keySet());
            map.forEach((service, byKey) -> byKey.keySet().retainAll(keysByService.get(service)));
        }
    }
}

package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.runtime.ServiceInfo;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The servers of a {@code loadBalancer} service by the URL as configured ({@code http://app1:8080}),
 * with their runtime state. The API's {@code serverStatus} and the {@code url} label of
 * {@code traefik_service_server_up} use the configured URL, as Traefik does; state is keyed by the
 * normalised URL ({@code http://app1} becomes {@code http://app1:80}).
 */
public final class ConfiguredServers {
    private ConfiguredServers() {
    }

    /** Configured URL to state, in configuration order; servers without state (service not built) are left out. */
    public static Map<String, ServerState> of(ServiceInfo service, StateRegistry states) {
        Map<String, ServerState> out = new LinkedHashMap<>();
        if (!(service.config() instanceof Service.LoadBalancer lb)) {
            return out;
        }
        Collection<ServerState> known = states.servers(service.name());
        if (known.isEmpty()) {
            return out;
        }
        Map<String, ServerState> byUrl = new LinkedHashMap<>();
        for (ServerState s : known) {
            byUrl.put(s.url(), s);
        }
        for (Service.Server server : lb.servers()) {
            if (server.url() == null || out.containsKey(server.url())) {
                continue;
            }
            try {
                ServerState state = byUrl.get(ServerUrls.parse(server.url()).toString());
                if (state != null) {
                    out.put(server.url(), state);
                }
            } catch (ConfigException e) {
                // A server URL that does not parse has no state; its service shows the error.
            }
        }
        return out;
    }
}

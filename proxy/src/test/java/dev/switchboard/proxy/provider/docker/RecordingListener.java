package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.ProviderConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a provider delivers, for assertions. */
final class RecordingListener implements Provider.Listener {
    final List<ProviderConfig> updates = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    @Override
    public void update(ProviderConfig config) {
        updates.add(config);
    }

    @Override
    public void failed(String provider, String message) {
        failures.add(message);
    }

    HttpConfig latest() {
        return updates.isEmpty() ? HttpConfig.EMPTY : updates.get(updates.size() - 1).config().http();
    }

    /** The server URLs of load-balancer service {@code name} in the latest configuration, sorted. */
    List<String> servers(String name) {
        Service s = latest().services().get(name);
        if (!(s instanceof Service.LoadBalancer lb)) {
            return List.of();
        }
        return lb.servers().stream().map(Service.Server::url).sorted().toList();
    }
}

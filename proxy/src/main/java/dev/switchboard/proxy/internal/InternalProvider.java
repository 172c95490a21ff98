package dev.switchboard.proxy.internal;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routers Traefik creates for its own services (provider {@code internal}): {@code ping@internal}
 * on {@code Path(/ping)} of the ping entry point, at the highest priority, unless manual routing
 * is asked for.
 */
public final class InternalProvider implements Provider {
    public static final String NAME = "internal";

    private final StaticConfig config;
    private final Map<String, Router> extra = new LinkedHashMap<>();

    public InternalProvider(StaticConfig config) {
        this.config = config;
    }

    /** Adds an internal router (the API and metrics add theirs). */
    public void addRouter(String name, Router router) {
        extra.put(name, router);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Listener listener) {
        Map<String, Router> routers = new LinkedHashMap<>();
        if (config.ping() != null && !config.ping().manualRouting()) {
            routers.put("ping", new Router(List.of(config.ping().entryPoint()), List.of(), "ping@internal",
                    "PathPrefix(`/ping`)", null, Integer.MAX_VALUE, null));
        }
        routers.putAll(extra);
        listener.update(new ProviderConfig(NAME, new DynamicConfig(new HttpConfig(routers, null, null, null)), null));
    }

    @Override
    public void close() {
    }
}

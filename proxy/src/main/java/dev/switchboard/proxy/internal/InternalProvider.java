package dev.switchboard.proxy.internal;

import dev.switchboard.proxy.config.ListenAddress;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
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
    private java.util.function.ToIntFunction<String> boundPort = name -> -1;

    public InternalProvider(StaticConfig config) {
        this.config = config;
    }

    /** Where to learn the port an entry point is bound to (for {@code :0} addresses). */
    public void portLookup(java.util.function.ToIntFunction<String> lookup) {
        this.boundPort = lookup;
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
        Map<String, Middleware> middlewares = new LinkedHashMap<>();
        redirections(routers, middlewares);
        routers.putAll(extra);
        listener.update(new ProviderConfig(NAME, new DynamicConfig(new HttpConfig(routers, null, middlewares, null)), null));
    }

    /**
     * Traefik's entry-point redirection ({@code --entrypoints.web.http.redirections.entrypoint.to=websecure}):
     * a router {@code web-to-websecure} on {@code HostRegexp(`^.+$`)} with priority MaxInt-1 and a
     * {@code redirectScheme} middleware to the target's scheme and port (301/308 unless
     * {@code permanent=false}).
     */
    private void redirections(Map<String, Router> routers, Map<String, Middleware> middlewares) {
        config.entryPoints().forEach((name, ep) -> {
            StaticConfig.Redirections r = ep.http().redirections();
            if (r == null || r.entryPoint() == null || r.entryPoint().to() == null) {
                return;
            }
            StaticConfig.RedirectEntryPoint to = r.entryPoint();
            String port;
            if (to.to().matches(":\\d+")) {
                port = to.to().substring(1);
            } else {
                StaticConfig.EntryPoint target = config.entryPoints().get(to.to());
                int configured = ListenAddress.parse(target.address(), "--entrypoints." + to.to() + ".address").port();
                int bound = boundPort.applyAsInt(to.to());
                port = Integer.toString(configured == 0 && bound > 0 ? bound : configured);
            }
            String routerName = (name + "-to-" + to.to()).replaceAll("[^a-zA-Z0-9-]", "-");
            String middlewareName = "redirect-" + routerName;
            routers.put(routerName, new Router(List.of(name), List.of(middlewareName), "noop@internal",
                    "HostRegexp(`^.+$`)", null, to.priority(), null));
            middlewares.put(middlewareName, new Middleware.RedirectScheme(to.scheme(), port, to.permanent(), false));
        });
    }

    @Override
    public void close() {
    }
}

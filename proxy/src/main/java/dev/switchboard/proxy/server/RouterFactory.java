package dev.switchboard.proxy.server;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.forward.Forwarder;
import dev.switchboard.proxy.middleware.MiddlewareFactory;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link RuntimeConfiguration} into a fixed handler graph per entry point, as Traefik's
 * {@code routerfactory.go} does with its managers: a {@link ServiceBuilder} builds services (once
 * each, shared by the routers that use them), a {@link MiddlewareChainBuilder} builds each router's
 * middlewares (per router: their state, such as a rate limit, is the router's), and a
 * {@link RouterBuilder} puts rule, chain and service together in one table per entry point. Errors
 * are recorded on the runtime elements: a broken router is left out and every other router serves.
 */
public final class RouterFactory {
    private final StaticConfig staticConfig;
    private final Forwarder forwarder;
    private final StateRegistry states;
    private final InternalHandlers internal;
    private final MiddlewareFactory middlewares;
    private volatile Map<String, Selector> selectors = Map.of();

    public RouterFactory(StaticConfig staticConfig, Forwarder forwarder, StateRegistry states, InternalHandlers internal,
            MiddlewareFactory middlewares) {
        this.staticConfig = staticConfig;
        this.forwarder = forwarder;
        this.states = states;
        this.internal = internal;
        this.middlewares = middlewares;
    }

    /** Builds every handler of {@code rt}; nothing of it serves until the caller swaps the tables in. */
    public CompiledConfig compile(RuntimeConfiguration rt) {
        List<AutoCloseable> resources = new ArrayList<>();
        ServiceBuilder services = new ServiceBuilder(rt, staticConfig, forwarder, states, internal, selectors, resources);
        MiddlewareChainBuilder chains = new MiddlewareChainBuilder(rt, middlewares, services, resources,
                staticConfig.behaviour());
        RouterBuilder routers = new RouterBuilder(rt, staticConfig, chains, services);
        Map<String, RouterTable> tables = routers.build();
        services.buildUnused();
        services.startHealthChecks();
        selectors = services.selectors();
        return new CompiledConfig(tables, List.copyOf(resources), services.serverUrls(), selectors);
    }
}

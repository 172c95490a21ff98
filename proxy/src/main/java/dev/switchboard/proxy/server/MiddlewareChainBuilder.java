package dev.switchboard.proxy.server;

import dev.switchboard.proxy.config.Behaviour;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Suggestions;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.middleware.MiddlewareContext;
import dev.switchboard.proxy.middleware.MiddlewareFactory;
import dev.switchboard.proxy.runtime.MiddlewareInfo;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;

/**
 * Builds a router's middlewares in front of its service (Traefik's {@code pkg/server/middleware}):
 * one handler per middleware, from the last to the first, each built by the {@link MiddlewareFactory}
 * with a {@link MiddlewareContext}; {@code chain} middlewares are expanded in place, and a chain that
 * contains itself is an error. Middlewares are built per router, so state such as a rate limit is
 * the router's, as in Traefik.
 */
final class MiddlewareChainBuilder {
    private final RuntimeConfiguration rt;
    private final MiddlewareFactory factory;
    private final ServiceBuilder services;
    private final List<AutoCloseable> resources;
    private final Behaviour behaviour;

    MiddlewareChainBuilder(RuntimeConfiguration rt, MiddlewareFactory factory, ServiceBuilder services,
            List<AutoCloseable> resources, Behaviour behaviour) {
        this.rt = rt;
        this.behaviour = behaviour;
        this.factory = factory;
        this.services = services;
        this.resources = resources;
    }

    /** {@code names} (qualified) in front of {@code next}, for {@code router}. */
    Request.Handler build(RouterInfo router, List<String> names, Request.Handler next) {
        Request.Handler[] handler = {next};
        walk(names, new ArrayDeque<>(), mi -> handler[0] = build(router, mi, handler[0]));
        return handler[0];
    }

    /** Whether any of {@code names} (chains expanded) is of a kind that may block its thread; call after {@link #build}. */
    boolean mayBlock(List<String> names) {
        boolean[] any = {false};
        walk(names, new ArrayDeque<>(), mi -> any[0] |= factory.mayBlock(mi.config()));
        return any[0];
    }

    /** Visits the middlewares of {@code names} from the last to the first, expanding chains. */
    private void walk(List<String> names, Deque<String> chainStack, Consumer<MiddlewareInfo> visit) {
        for (int i = names.size() - 1; i >= 0; i--) {
            String name = names.get(i);
            MiddlewareInfo mi = rt.middlewares().get(name);
            if (mi == null) {
                throw new ConfigException("middleware \"" + name + "\" does not exist"
                        + Suggestions.didYouMean(name, rt.middlewares().keySet()));
            }
            if (mi.isDisabled()) {
                throw new ConfigException("middleware \"" + name + "\" is disabled: " + String.join("; ", mi.errors()));
            }
            if (!(mi.config() instanceof Middleware.Chain chain)) {
                visit.accept(mi);
                continue;
            }
            if (chainStack.contains(name)) {
                List<String> cycle = new ArrayList<>(chainStack);
                Collections.reverse(cycle);
                cycle.add(name);
                String msg = "recursion detected in chain: " + String.join(" -> ", cycle);
                mi.disable(msg);
                throw new ConfigException(msg);
            }
            chainStack.push(name);
            try {
                walk(chain.middlewares(), chainStack, visit);
            } finally {
                chainStack.pop();
            }
        }
    }

    private Request.Handler build(RouterInfo router, MiddlewareInfo mi, Request.Handler next) {
        try {
            return factory.build(mi.config(), next, context(mi, router));
        } catch (ConfigException e) {
            mi.disable(e.getMessage());
            throw new ConfigException("middleware \"" + mi.name() + "\": " + e.getMessage());
        } catch (RuntimeException e) {
            mi.disable(String.valueOf(e.getMessage()));
            throw new ConfigException("middleware \"" + mi.name() + "\": " + e.getMessage());
        }
    }

    private MiddlewareContext context(MiddlewareInfo mi, RouterInfo router) {
        return new MiddlewareContext() {
            @Override
            public String middlewareName() {
                return mi.name();
            }

            @Override
            public String routerName() {
                return router.name();
            }

            @Override
            public Request.Handler service(String name) {
                return services.service(RuntimeConfiguration.qualify(name, mi.provider()));
            }

            @Override
            public void onClose(AutoCloseable resource) {
                resources.add(resource);
            }

            @Override
            public Behaviour behaviour() {
                return behaviour;
            }

            @Override
            public void warn(String warning) {
                mi.warn(warning);
            }
        };
    }
}

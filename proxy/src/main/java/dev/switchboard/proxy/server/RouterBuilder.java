package dev.switchboard.proxy.server;

import dev.switchboard.proxy.config.Behaviour;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.forward.RetryPolicy;
import dev.switchboard.proxy.forward.RetryingHandler;
import dev.switchboard.proxy.rules.RequestMatcher;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import dev.switchboard.proxy.runtime.MiddlewareInfo;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.server.Request;

/**
 * Builds the routers of one configuration into a {@link RouterTable} per entry point (Traefik's
 * {@code pkg/server/router}): each router's rule, then its middleware chain, then its service. A
 * router whose middlewares or service cannot be built (or that its provider disabled) is disabled
 * with its error, and fails closed: its rule stays in the table at its priority with a
 * {@link ClosedRouter}, so its requests never fall through to a lower-priority router (Traefik
 * leaves it out and lets them fall through). Only a router whose rule does not parse is left out,
 * since nothing says which requests it would have taken. Every other router still serves.
 */
final class RouterBuilder {
    private final RuntimeConfiguration rt;
    private final StaticConfig staticConfig;
    private final MiddlewareChainBuilder chains;
    private final ServiceBuilder services;

    RouterBuilder(RuntimeConfiguration rt, StaticConfig staticConfig, MiddlewareChainBuilder chains, ServiceBuilder services) {
        this.rt = rt;
        this.staticConfig = staticConfig;
        this.chains = chains;
        this.services = services;
    }

    /** The table of every entry point (empty for one no router uses). */
    Map<String, RouterTable> build() {
        Map<String, List<RouterTable.Route>> routes = new TreeMap<>();
        for (String ep : staticConfig.entryPoints().keySet()) {
            routes.put(ep, new ArrayList<>());
        }
        for (RouterInfo router : rt.routers().values()) {
            markUse(router);
            if (router.isDisabled()) {
                close(router, routes);
                continue;
            }
            try {
                RouterTable.Route route = buildRoute(router);
                for (String ep : router.using()) {
                    routes.get(ep).add(new RouterTable.Route(route.routerName(), route.priority(), route.matcher(),
                            route.handler(), tls(router, ep), route.nonBlocking()));
                }
            } catch (ConfigException e) {
                router.disable(e.getMessage());
                close(router, routes);
            }
        }
        Map<String, RouterTable> tables = new LinkedHashMap<>();
        routes.forEach((ep, list) -> tables.put(ep, new RouterTable(list)));
        return tables;
    }

    private boolean tls(RouterInfo router, String ep) {
        return router.config().tls() != null || staticConfig.entryPoints().get(ep).http().tls() != null;
    }

    /**
     * Keeps a disabled router's rule in the tables of its entry points with a {@link ClosedRouter},
     * when its rule parses and it names an entry point that exists; otherwise there is nothing it
     * could have matched, and it stays out as in Traefik.
     */
    private void close(RouterInfo router, Map<String, List<RouterTable.Route>> routes) {
        Router config = router.config();
        RequestMatcher matcher;
        try {
            matcher = RuleParser.parse(config.rule()).compile();
        } catch (RuleException | RuntimeException e) {
            return;
        }
        List<String> wanted = config.entryPoints().isEmpty() ? staticConfig.defaultEntryPoints() : config.entryPoints();
        ClosedRouter closed = new ClosedRouter(router.name());
        for (String ep : wanted) {
            if (routes.containsKey(ep)) {
                routes.get(ep).add(new RouterTable.Route(router.name(), config.effectivePriority(), matcher, closed,
                        tls(router, ep), true));
            }
        }
    }

    /** Records on the service and middlewares that this router uses them (the API's {@code usedBy}). */
    private void markUse(RouterInfo router) {
        Router config = router.config();
        if (config.service() != null) {
            ServiceInfo si = rt.services().get(config.service());
            if (si != null) {
                si.usedBy(router.name());
            }
        }
        for (String m : config.middlewares()) {
            MiddlewareInfo mi = rt.middlewares().get(m);
            if (mi != null) {
                mi.usedBy(router.name());
            }
        }
    }

    private RouterTable.Route buildRoute(RouterInfo router) {
        Router config = router.config();
        if (config.ruleSyntax() != null && !config.ruleSyntax().isBlank()
                && !config.ruleSyntax().equalsIgnoreCase("v3")) {
            throw new ConfigException("ruleSyntax " + config.ruleSyntax()
                    + " is not supported: Switchboard reads Traefik v3 rules; remove ruleSyntax and write the rule in v3 syntax");
        }
        if (config.tls() != null && config.tls().certResolver() != null && !config.tls().certResolver().isBlank()) {
            router.warn("tls.certResolver " + config.tls().certResolver() + " is ignored: ACME is not supported; "
                    + "the certificates of the tls section (or the default certificate) are served");
        }
        RequestMatcher matcher;
        try {
            matcher = RuleParser.parse(config.rule()).compile();
        } catch (RuleException e) {
            throw new ConfigException(e.getMessage());
        }
        List<String> using = entryPoints(router);
        if (config.service() == null || config.service().isBlank()) {
            throw new ConfigException("the router has no service: add service: <name>");
        }
        Request.Handler handler = resend(services.service(config.service()));
        handler = chains.build(router, config.middlewares(), handler);
        router.using(using);
        boolean nonBlocking = !chains.mayBlock(config.middlewares()) && !services.mayBlock(config.service());
        return new RouterTable.Route(router.name(), config.effectivePriority(), matcher, handler, false, nonBlocking);
    }

    /**
     * With {@code autoRetry} or {@code rescueWaiting} (the switchboard profile), the router's
     * service runs inside the automatic re-send, which a retry middleware in the chain replaces
     * for its requests; Traefik has none (only its retry middleware retries).
     */
    private Request.Handler resend(Request.Handler service) {
        Behaviour b = staticConfig.behaviour();
        boolean auto = b.on(Improvement.AUTO_RETRY);
        boolean rescue = b.on(Improvement.RESCUE_WAITING);
        return auto || rescue ? new RetryingHandler(service, RetryPolicy.automatic(auto, rescue), 0) : service;
    }

    private List<String> entryPoints(RouterInfo router) {
        List<String> wanted = router.config().entryPoints().isEmpty()
                ? staticConfig.defaultEntryPoints() : router.config().entryPoints();
        List<String> using = new ArrayList<>();
        for (String ep : wanted) {
            if (staticConfig.entryPoints().containsKey(ep)) {
                using.add(ep);
            } else {
                router.warn("entryPoint \"" + ep + "\" doesn't exist (entry points: "
                        + String.join(", ", staticConfig.entryPoints().keySet()) + ")");
            }
        }
        if (using.isEmpty()) {
            throw new ConfigException("no valid entryPoint for this router");
        }
        return using;
    }
}

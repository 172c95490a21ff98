package dev.switchboard.proxy.server;

import dev.switchboard.proxy.balancer.Strategy;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.middleware.MiddlewareContext;
import dev.switchboard.proxy.middleware.MiddlewareFactory;
import dev.switchboard.proxy.rules.RequestMatcher;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import dev.switchboard.proxy.runtime.MiddlewareInfo;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.health.ActiveHealthCheck;
import dev.switchboard.proxy.health.PassiveHealthCheck;
import dev.switchboard.proxy.service.FailoverHandler;
import dev.switchboard.proxy.service.Forwarder;
import dev.switchboard.proxy.service.LoadBalancerHandler;
import dev.switchboard.proxy.service.MirroringHandler;
import dev.switchboard.proxy.service.ServerState;
import dev.switchboard.proxy.service.ServiceHandler;
import dev.switchboard.proxy.service.StateRegistry;
import dev.switchboard.proxy.service.StickyCookie;
import dev.switchboard.proxy.service.WeightedHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jetty.server.Request;

/**
 * Compiles a {@link RuntimeConfiguration} into a fixed handler graph per entry point: for each
 * router, its rule, then its middlewares in order, then its service. Services are built once and
 * shared by the routers that use them; middlewares are built per router (their state, such as a rate
 * limit, is the router's). Errors are recorded on the runtime elements: a broken router is left out
 * and every other router still serves.
 */
public final class ConfigCompiler {
    private final StaticConfig staticConfig;
    private final Forwarder forwarder;
    private final StateRegistry states;
    private final InternalHandlers internal;
    private final MiddlewareFactory middlewares;

    public ConfigCompiler(StaticConfig staticConfig, Forwarder forwarder, StateRegistry states, InternalHandlers internal,
            MiddlewareFactory middlewares) {
        this.staticConfig = staticConfig;
        this.forwarder = forwarder;
        this.states = states;
        this.internal = internal;
        this.middlewares = middlewares;
    }

    /** The outcome: a router table per entry point, and resources to close when it is replaced. */
    public record Compiled(Map<String, RouterTable> tables, List<AutoCloseable> resources,
            Map<String, Set<String>> serverUrls) implements AutoCloseable {
        @Override
        public void close() {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // Closing an old configuration's timers must not stop the new one.
                }
            }
        }
    }

    public Compiled compile(RuntimeConfiguration rt) {
        return new Build(rt).run();
    }

    /** One compilation; caches services by name. */
    private final class Build {
        private final RuntimeConfiguration rt;
        private final Map<String, Request.Handler> builtServices = new HashMap<>();
        private final List<AutoCloseable> resources = new ArrayList<>();
        private final Map<String, Set<String>> serverUrls = new HashMap<>();
        private final List<ActiveHealthCheck> checkers = new ArrayList<>();

        Build(RuntimeConfiguration rt) {
            this.rt = rt;
        }

        Compiled run() {
            Map<String, List<RouterTable.Route>> routes = new TreeMap<>();
            for (String ep : staticConfig.entryPoints().keySet()) {
                routes.put(ep, new ArrayList<>());
            }
            for (RouterInfo router : rt.routers().values()) {
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
                if (router.isDisabled()) {
                    continue;
                }
                try {
                    RouterTable.Route route = buildRoute(router);
                    for (String ep : router.using()) {
                        boolean tls = config.tls() != null || staticConfig.entryPoints().get(ep).http().tls() != null;
                        routes.get(ep).add(new RouterTable.Route(route.routerName(), route.priority(), route.matcher(),
                                route.handler(), tls, route.nonBlocking()));
                    }
                } catch (ConfigException e) {
                    router.disable(e.getMessage());
                }
            }
            // Services no router uses are still built, so their errors show and their health is known.
            for (ServiceInfo si : rt.services().values()) {
                if (!si.isDisabled()) {
                    try {
                        service(si.name(), new ArrayDeque<>());
                    } catch (ConfigException e) {
                        // recorded on the service
                    }
                }
            }
            Map<String, RouterTable> tables = new LinkedHashMap<>();
            routes.forEach((ep, list) -> tables.put(ep, new RouterTable(list)));
            // Health checks start once the whole configuration is built; closing the compiled
            // configuration (at the next reload) stops them, while health stays on ServerState.
            checkers.forEach(ActiveHealthCheck::start);
            return new Compiled(tables, List.copyOf(resources), Map.copyOf(serverUrls));
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
            Request.Handler handler = service(config.service(), new ArrayDeque<>());
            handler = middlewareChain(router, config.middlewares(), handler, new ArrayDeque<>());
            router.using(using);
            boolean nonBlocking = nonBlockingMiddlewares(config.middlewares(), new ArrayDeque<>())
                    && nonBlockingService(config.service(), new ArrayDeque<>());
            return new RouterTable.Route(router.name(), config.effectivePriority(), matcher, handler, false, nonBlocking);
        }

        /**
         * Whether these middlewares only ever hand on, answer or delay (by the scheduler) a request
         * without waiting on the calling thread: no body buffering (buffering, retry), no bcrypt
         * (basicAuth), no other HTTP exchange (forwardAuth, errors), no response rewriting (compress,
         * cache). Such a router may run on a selector thread (see {@link RouterTable#nonBlocking()}).
         */
        private boolean nonBlockingMiddlewares(List<String> names, Deque<String> chainStack) {
            for (String name : names) {
                MiddlewareInfo mi = rt.middlewares().get(name);
                if (mi == null || chainStack.contains(name)) {
                    return false;
                }
                Middleware m = mi.config();
                if (m instanceof Middleware.Chain chain) {
                    chainStack.push(name);
                    try {
                        if (!nonBlockingMiddlewares(chain.middlewares(), chainStack)) {
                            return false;
                        }
                    } finally {
                        chainStack.pop();
                    }
                } else if (!(m instanceof Middleware.AddPrefix || m instanceof Middleware.StripPrefix
                        || m instanceof Middleware.StripPrefixRegex || m instanceof Middleware.ReplacePath
                        || m instanceof Middleware.ReplacePathRegex || m instanceof Middleware.Headers
                        || m instanceof Middleware.IpAllowList || m instanceof Middleware.RateLimit
                        || m instanceof Middleware.InFlightReq || m instanceof Middleware.CircuitBreaker
                        || m instanceof Middleware.RedirectScheme || m instanceof Middleware.RedirectRegex
                        || m instanceof Middleware.ContentType)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether this service forwards without waiting: load balancers, and weighted or failover ones over them. */
        private boolean nonBlockingService(String name, Deque<String> stack) {
            if (name == null || internal.isInternal(name) || stack.contains(name)) {
                return false;
            }
            ServiceInfo si = rt.services().get(name);
            if (si == null) {
                return false;
            }
            stack.push(name);
            try {
                Service config = si.config();
                if (config instanceof Service.LoadBalancer) {
                    return true;
                }
                if (config instanceof Service.Weighted w) {
                    for (Service.WeightedService ws : w.services()) {
                        if (!nonBlockingService(ws.name(), stack)) {
                            return false;
                        }
                    }
                    return true;
                }
                if (config instanceof Service.Failover f) {
                    return nonBlockingService(f.service(), stack) && nonBlockingService(f.fallback(), stack);
                }
                return false; // mirroring buffers bodies
            } finally {
                stack.pop();
            }
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

        private Request.Handler middlewareChain(RouterInfo router, List<String> names, Request.Handler next,
                Deque<String> chainStack) {
            Request.Handler handler = next;
            for (int i = names.size() - 1; i >= 0; i--) {
                String name = names.get(i);
                MiddlewareInfo mi = rt.middlewares().get(name);
                if (mi == null) {
                    throw new ConfigException("middleware \"" + name + "\" does not exist" + similar(name, rt.middlewares().keySet()));
                }
                if (mi.isDisabled()) {
                    throw new ConfigException("middleware \"" + name + "\" is disabled: " + String.join("; ", mi.errors()));
                }
                if (mi.config() instanceof Middleware.Chain chain) {
                    if (chainStack.contains(name)) {
                        List<String> cycle = new ArrayList<>(chainStack);
                        java.util.Collections.reverse(cycle);
                        cycle.add(name);
                        String msg = "recursion detected in chain: " + String.join(" -> ", cycle);
                        mi.disable(msg);
                        throw new ConfigException(msg);
                    }
                    chainStack.push(name);
                    try {
                        handler = middlewareChain(router, chain.middlewares(), handler, chainStack);
                    } finally {
                        chainStack.pop();
                    }
                    continue;
                }
                try {
                    handler = middlewares.build(mi.config(), handler, context(mi, router));
                } catch (ConfigException e) {
                    mi.disable(e.getMessage());
                    throw new ConfigException("middleware \"" + name + "\": " + e.getMessage());
                } catch (RuntimeException e) {
                    mi.disable(String.valueOf(e.getMessage()));
                    throw new ConfigException("middleware \"" + name + "\": " + e.getMessage());
                }
            }
            return handler;
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
                    return Build.this.service(RuntimeConfiguration.qualify(name, mi.provider()), new ArrayDeque<>());
                }

                @Override
                public void onClose(AutoCloseable resource) {
                    resources.add(resource);
                }
            };
        }

        /** The handler of service {@code name}, built once per compilation. */
        Request.Handler service(String name, Deque<String> stack) {
            if (internal.isInternal(name)) {
                Request.Handler h = internal.get(name);
                if (h == null) {
                    throw new ConfigException("the service \"" + name + "\" does not exist"
                            + similar(name, internal.names()));
                }
                return h;
            }
            Request.Handler built = builtServices.get(name);
            if (built != null) {
                return built;
            }
            ServiceInfo si = rt.services().get(name);
            if (si == null) {
                throw new ConfigException("the service \"" + name + "\" does not exist" + similar(name, rt.services().keySet()));
            }
            if (si.isDisabled()) {
                throw new ConfigException("the service \"" + name + "\" is disabled: " + String.join("; ", si.errors()));
            }
            if (stack.contains(name)) {
                List<String> cycle = new ArrayList<>(stack);
                java.util.Collections.reverse(cycle);
                cycle.add(name);
                throw new ConfigException("service recursion: " + String.join(" -> ", cycle));
            }
            stack.push(name);
            try {
                Request.Handler handler = buildService(si, stack);
                builtServices.put(name, handler);
                return handler;
            } catch (ConfigException e) {
                si.disable(e.getMessage());
                throw new ConfigException("the service \"" + name + "\" is disabled: " + e.getMessage());
            } finally {
                stack.pop();
            }
        }

        private Request.Handler buildService(ServiceInfo si, Deque<String> stack) {
            Service config = si.config();
            if (config instanceof Service.LoadBalancer lb) {
                return loadBalancer(si, lb);
            }
            if (config instanceof Service.Weighted w) {
                return weighted(si, w, stack);
            }
            if (config instanceof Service.Mirroring m) {
                return mirroring(si, m, stack);
            }
            if (config instanceof Service.Failover f) {
                return failover(si, f, stack);
            }
            throw new ConfigException("services of kind " + kindOf(config) + " are not built into this Switchboard");
        }

        private Request.Handler loadBalancer(ServiceInfo si, Service.LoadBalancer lb) {
            Strategy strategy = Strategy.byName(lb.strategy())
                    .orElseThrow(() -> new ConfigException(Strategy.unknown(lb.strategy())));
            ServersTransport transport = transport(si, lb.serversTransport());
            List<LoadBalancerHandler.Server> servers = new ArrayList<>();
            Map<ServerState, URI> targets = new LinkedHashMap<>();
            Map<String, ServerState> byConfiguredUrl = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (Service.Server server : lb.servers()) {
                URI uri = serverUri(server.url());
                if (!seen.add(uri.toString())) {
                    continue; // Traefik skips duplicate servers too
                }
                if (server.weight() < 0) {
                    throw new ConfigException("server " + server.url() + " has a negative weight");
                }
                ServerState state = states.server(si.name(), uri.toString(), server.weight());
                servers.add(new LoadBalancerHandler.Server(state, uri, server.url().trim(),
                        Boolean.TRUE.equals(server.preservePath())));
                targets.put(state, uri);
                byConfiguredUrl.put(server.url().trim(), state);
            }
            serverUrls.put(si.name(), seen);

            ActiveHealthCheck active = null;
            if (lb.healthCheck() != null) {
                ActiveHealthCheck.Settings settings = ActiveHealthCheck.Settings.of(lb.healthCheck(), si::warn);
                active = new ActiveHealthCheck(si.name(), settings, targets, forwarder.probeClient());
                checkers.add(active);
                resources.add(active);
            }
            PassiveHealthCheck passive = PassiveHealthCheck.of(si.name(), lb.passiveHealthCheck(), active != null);
            if (active == null) {
                // Nobody probes these servers any more: health is the passive check's alone.
                for (ServerState state : targets.keySet()) {
                    state.resetActive(passive.window().toNanos());
                }
            }
            StickyCookie<ServerState> sticky = null;
            if (lb.sticky() != null && lb.sticky().cookie() != null) {
                warnSameSite(si, lb.sticky().cookie());
                sticky = new StickyCookie<>(lb.sticky().cookie(), si.name(), byConfiguredUrl);
            }
            List<ServerState> states = servers.stream().map(LoadBalancerHandler.Server::state).toList();
            return new LoadBalancerHandler(si.name(), servers, strategy.newSelector(states), forwarder,
                    lb.passHostHeader(), transport.forwardingTimeouts().responseHeaderTimeout(), sticky, passive);
        }

        private void warnSameSite(ServiceInfo si, Service.Cookie cookie) {
            String sameSite = cookie.sameSite();
            if (sameSite != null && !sameSite.isBlank()
                    && !List.of("none", "lax", "strict").contains(sameSite.trim().toLowerCase(Locale.ROOT))) {
                si.warn("sticky cookie sameSite \"" + sameSite + "\" is not none, lax or strict: the cookie is sent without SameSite");
            }
        }

        private Request.Handler weighted(ServiceInfo si, Service.Weighted w, Deque<String> stack) {
            if (w.services().isEmpty()) {
                throw new ConfigException("a weighted service needs services: write services: [{name: app-v1, weight: 9}, {name: app-v2, weight: 1}]");
            }
            List<WeightedHandler.Child> children = new ArrayList<>();
            Map<String, WeightedHandler.Child> byName = new LinkedHashMap<>();
            for (Service.WeightedService ws : w.services()) {
                if (ws.name() == null || ws.name().isBlank()) {
                    throw new ConfigException("a service of the weighted service has no name");
                }
                if (ws.weight() < 0) {
                    throw new ConfigException("service " + ws.name() + " has a negative weight");
                }
                if (byName.containsKey(ws.name())) {
                    throw new ConfigException("service " + ws.name() + " is listed twice");
                }
                Request.Handler handler = service(ws.name(), stack);
                WeightedHandler.Child child = new WeightedHandler.Child(ws.name(),
                        states.child(si.name(), ws.name(), ws.weight()), handler);
                children.add(child);
                byName.put(ws.name(), child);
            }
            serverUrls.put(si.name(), Set.copyOf(byName.keySet()));
            StickyCookie<WeightedHandler.Child> sticky = null;
            if (w.sticky() != null && w.sticky().cookie() != null) {
                warnSameSite(si, w.sticky().cookie());
                sticky = new StickyCookie<>(w.sticky().cookie(), si.name(), byName);
            }
            return new WeightedHandler(si.name(), children, sticky);
        }

        private Request.Handler mirroring(ServiceInfo si, Service.Mirroring m, Deque<String> stack) {
            if (m.service() == null || m.service().isBlank()) {
                throw new ConfigException("a mirroring service needs service: the service whose answers clients get");
            }
            Request.Handler main = service(m.service(), stack);
            List<MirroringHandler.Mirror> mirrors = new ArrayList<>();
            for (Service.Mirror mirror : m.mirrors()) {
                if (mirror.name() == null || mirror.name().isBlank()) {
                    throw new ConfigException("a mirror has no name");
                }
                if (mirror.percent() < 0 || mirror.percent() > 100) {
                    throw new ConfigException("mirror " + mirror.name() + ": percent must be between 0 and 100, got "
                            + mirror.percent());
                }
                Request.Handler handler = service(mirror.name(), stack);
                if (!(handler instanceof ServiceHandler target)) {
                    throw new ConfigException("mirror " + mirror.name() + " is an internal service; mirrors must be "
                            + "loadBalancer, weighted, mirroring or failover services");
                }
                mirrors.add(new MirroringHandler.Mirror(target, mirror.percent()));
            }
            return new MirroringHandler(si.name(), main, mirrors, m.mirrorBody(), m.maxBodySize());
        }

        private Request.Handler failover(ServiceInfo si, Service.Failover f, Deque<String> stack) {
            if (f.service() == null || f.service().isBlank() || f.fallback() == null || f.fallback().isBlank()) {
                throw new ConfigException("a failover service needs service and fallback: service: app, fallback: app-backup");
            }
            return new FailoverHandler(si.name(), service(f.service(), stack), service(f.fallback(), stack));
        }

        private ServersTransport transport(ServiceInfo si, String name) {
            if (name == null || name.isBlank()) {
                return staticConfig.serversTransport();
            }
            String qualified = RuntimeConfiguration.qualify(name, si.provider());
            ServersTransport t = rt.serversTransports().get(qualified);
            if (t == null) {
                throw new ConfigException("serversTransport \"" + qualified + "\" does not exist");
            }
            return t;
        }
    }

    /**
     * A server URL as the proxy uses it (and as {@link ServerState#url()} names it): scheme and host
     * required, the default port made explicit. The API and metrics map configured URLs to state with it.
     */
    public static URI serverUri(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigException("a server has no url: write url: http://host:port");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException("server url \"" + url + "\" is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new ConfigException("server url \"" + url + "\" must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("server url \"" + url + "\" has no host");
        }
        if (uri.getPort() == -1) {
            try {
                uri = new URI(scheme, null, uri.getHost(), scheme.equals("https") ? 443 : 80, uri.getRawPath(), null, null);
            } catch (URISyntaxException e) {
                throw new ConfigException("server url \"" + url + "\": " + e.getReason());
            }
        }
        return uri;
    }

    private static String kindOf(Service s) {
        return Service.KINDS.entrySet().stream().filter(e -> e.getValue() == s.getClass()).map(Map.Entry::getKey)
                .findFirst().orElse(s.getClass().getSimpleName());
    }

    private static String similar(String name, Set<String> known) {
        return dev.switchboard.proxy.config.Suggestions.closest(name, known).map(s -> ": did you mean \"" + s + "\"?")
                .orElse("");
    }
}

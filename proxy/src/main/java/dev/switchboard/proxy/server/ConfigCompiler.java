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
import dev.switchboard.proxy.service.Forwarder;
import dev.switchboard.proxy.service.LoadBalancerHandler;
import dev.switchboard.proxy.service.ServerState;
import dev.switchboard.proxy.service.StateRegistry;
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
                                route.handler(), tls));
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
            return new RouterTable.Route(router.name(), config.effectivePriority(), matcher, handler);
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
                throw new ConfigException("service recursion: " + String.join(" -> ", stack) + " -> " + name);
            }
            stack.push(name);
            try {
                Request.Handler handler = buildService(si);
                builtServices.put(name, handler);
                return handler;
            } catch (ConfigException e) {
                si.disable(e.getMessage());
                throw new ConfigException("the service \"" + name + "\" is disabled: " + e.getMessage());
            } finally {
                stack.pop();
            }
        }

        private Request.Handler buildService(ServiceInfo si) {
            if (si.config() instanceof Service.LoadBalancer lb) {
                return loadBalancer(si, lb);
            }
            throw new ConfigException("services of kind " + kindOf(si.config()) + " are not built into this Switchboard yet");
        }

        private Request.Handler loadBalancer(ServiceInfo si, Service.LoadBalancer lb) {
            Strategy strategy = Strategy.byName(lb.strategy())
                    .orElseThrow(() -> new ConfigException(Strategy.unknown(lb.strategy())));
            ServersTransport transport = transport(si, lb.serversTransport());
            Map<ServerState, URI> urls = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (Service.Server server : lb.servers()) {
                URI uri = serverUri(server.url());
                if (!seen.add(uri.toString())) {
                    continue; // Traefik skips duplicate servers too
                }
                if (server.weight() < 0) {
                    throw new ConfigException("server " + server.url() + " has a negative weight");
                }
                urls.put(states.server(si.name(), uri.toString(), server.weight()), uri);
            }
            serverUrls.put(si.name(), seen);
            List<ServerState> servers = List.copyOf(urls.keySet());
            boolean preservePath = lb.servers().stream().anyMatch(s -> Boolean.TRUE.equals(s.preservePath()));
            return new LoadBalancerHandler(si.name(), urls, strategy.newSelector(servers), forwarder,
                    lb.passHostHeader(), preservePath, transport.forwardingTimeouts().responseHeaderTimeout());
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

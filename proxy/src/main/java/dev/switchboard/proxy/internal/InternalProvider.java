package dev.switchboard.proxy.internal;

import dev.switchboard.proxy.config.ListenAddress;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.ProviderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The routers Traefik creates for its own services (provider {@code internal}), from the static
 * configuration, as Traefik's internal provider does:
 * <ul>
 * <li>{@code ping@internal}: {@code PathPrefix(`/ping`)} on the ping entry point, highest priority;</li>
 * <li>with {@code --api.insecure}: {@code api@internal} on {@code PathPrefix(`/api`)} and, unless
 * {@code --api.dashboard=false}, {@code dashboard@internal} on {@code PathPrefix(`/`)} with the
 * middlewares {@code dashboard_redirect@internal} ({@code /} to {@code /dashboard/}) and
 * {@code dashboard_stripprefix@internal}, both on the {@code traefik} entry point;</li>
 * <li>with {@code --metrics.prometheus}: {@code prometheus@internal} on {@code PathPrefix(`/metrics`)}
 * of its entry point, unless {@code manualRouting};</li>
 * <li>for {@code --entrypoints.web.http.redirections.entrypoint.to=websecure}: a router
 * {@code web-to-websecure} to {@code noop@internal} with a {@code redirectScheme} middleware.</li>
 * </ul>
 * Without {@code --api.insecure} the API is reachable only through a router the user writes to
 * {@code api@internal}, which is how Traefik keeps it off the network by default.
 *
 * <p>Priorities are Traefik's, counted down from {@link Integer#MAX_VALUE} (Traefik counts from
 * Go's 64-bit {@code MaxInt}): ping and metrics highest, then the API, then the dashboard.
 */
public final class InternalProvider implements Provider {
    public static final String NAME = "internal";

    private final StaticConfig config;
    private final Predicate<Class<? extends Middleware>> buildable;
    private final Map<String, Router> extra = new LinkedHashMap<>();
    private java.util.function.ToIntFunction<String> boundPort = name -> -1;

    /** {@code buildable}: whether a middleware kind can be built, so the dashboard router never uses one that cannot. */
    public InternalProvider(StaticConfig config, Predicate<Class<? extends Middleware>> buildable) {
        this.config = config;
        this.buildable = buildable;
    }

    /** Where to learn the port an entry point is bound to (for {@code :0} addresses). */
    public void portLookup(java.util.function.ToIntFunction<String> lookup) {
        this.boundPort = lookup;
    }

    /** Adds an internal router (for a test or a later feature). */
    public void addRouter(String name, Router router) {
        extra.put(name, router);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The services built into the proxy under this configuration, qualified ({@code api@internal}):
     * the API lists them next to the configured ones, as Traefik does.
     */
    public List<String> services() {
        List<String> names = new ArrayList<>();
        if (config.api() != null) {
            names.add("api@internal");
            if (config.api().dashboard()) {
                names.add("dashboard@internal");
            }
        }
        names.add("noop@internal");
        if (config.ping() != null) {
            names.add("ping@internal");
        }
        if (config.prometheus() != null) {
            names.add("prometheus@internal");
        }
        return List.copyOf(names);
    }

    /** The dynamic configuration this provider sends. */
    public HttpConfig configuration() {
        Map<String, Router> routers = new LinkedHashMap<>();
        Map<String, Middleware> middlewares = new LinkedHashMap<>();
        if (config.ping() != null && !config.ping().manualRouting()) {
            routers.put("ping", new Router(List.of(config.ping().entryPoint()), List.of(), "ping@internal",
                    "PathPrefix(`/ping`)", null, Integer.MAX_VALUE, null));
        }
        StaticConfig.Api api = config.api();
        if (api != null && api.insecure()) {
            String base = basePath(api);
            List<String> traefik = List.of(StaticConfig.TRAEFIK_ENTRY_POINT);
            routers.put("api", new Router(traefik, List.of(), "api@internal", "PathPrefix(`" + base + "/api`)", null,
                    Integer.MAX_VALUE - 1, null));
            if (api.dashboard()) {
                List<String> chain = new ArrayList<>();
                if (buildable.test(Middleware.RedirectRegex.class)) {
                    // Traefik: http://host:port/ answers a permanent redirect to /dashboard/.
                    middlewares.put("dashboard_redirect", new Middleware.RedirectRegex(
                            "^(https?://[^/]+)" + base.replace(".", "\\.") + "/?$", "${1}" + base + "/dashboard/", true, null));
                    chain.add("dashboard_redirect@internal");
                }
                middlewares.put("dashboard_stripprefix",
                        new Middleware.StripPrefix(List.of(base + "/dashboard/", base + "/dashboard"), null));
                chain.add("dashboard_stripprefix@internal");
                routers.put("dashboard", new Router(traefik, chain, "dashboard@internal", "PathPrefix(`" + base + "/`)", null,
                        Integer.MAX_VALUE - 2, null));
            }
        }
        StaticConfig.Prometheus prometheus = config.prometheus();
        if (prometheus != null && !prometheus.manualRouting()) {
            routers.put("prometheus", new Router(List.of(prometheus.entryPoint()), List.of(), "prometheus@internal",
                    "PathPrefix(`/metrics`)", null, Integer.MAX_VALUE, null));
        }
        redirections(routers, middlewares);
        routers.putAll(extra);
        return new HttpConfig(routers, null, middlewares, null);
    }

    /** {@code --api.basePath} without its trailing slash: empty for the default {@code /}. */
    public static String basePath(StaticConfig.Api api) {
        String base = api == null ? "/" : api.basePath();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public void start(Listener listener) {
        listener.update(new ProviderConfig(NAME, new DynamicConfig(configuration()), null));
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

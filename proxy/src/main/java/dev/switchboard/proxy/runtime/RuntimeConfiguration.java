package dev.switchboard.proxy.runtime;

import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.config.dynamic.TlsConfig;
import dev.switchboard.proxy.provider.ProviderConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merged configuration of every provider, with names qualified ({@code app1@file}) and
 * references resolved to qualified names, plus what the runtime learnt while building it: errors,
 * statuses, who uses what. This is what the API shows.
 */
public final class RuntimeConfiguration {
    private final Map<String, RouterInfo> routers = new TreeMap<>();
    private final Map<String, ServiceInfo> services = new TreeMap<>();
    private final Map<String, MiddlewareInfo> middlewares = new TreeMap<>();
    private final Map<String, ServersTransport> serversTransports = new TreeMap<>();
    private final List<TlsConfig> tls = new ArrayList<>();
    private final Instant created = Instant.now();

    /** Merges provider configurations, qualifying names and references. */
    public static RuntimeConfiguration merge(Collection<ProviderConfig> configs) {
        RuntimeConfiguration rt = new RuntimeConfiguration();
        for (ProviderConfig pc : configs) {
            String p = pc.provider();
            HttpConfig http = pc.config().http();
            http.routers().forEach((name, router) -> {
                RouterInfo info = new RouterInfo(name + "@" + p, p, qualify(router, p), pc.sources().of("routers", name));
                checkName(info, name);
                rt.routers.put(info.name(), info);
            });
            http.services().forEach((name, service) -> {
                ServiceInfo info = new ServiceInfo(name + "@" + p, p, qualify(service, p), pc.sources().of("services", name));
                checkName(info, name);
                rt.services.put(info.name(), info);
            });
            http.middlewares().forEach((name, middleware) -> {
                MiddlewareInfo info = new MiddlewareInfo(name + "@" + p, p, qualify(middleware, p),
                        pc.sources().of("middlewares", name));
                checkName(info, name);
                rt.middlewares.put(info.name(), info);
            });
            http.serversTransports().forEach((name, transport) -> rt.serversTransports.put(name + "@" + p, transport));
            rt.tls.add(pc.config().tls());
        }
        return rt;
    }

    private static void checkName(ElementInfo<?> info, String name) {
        if (name.contains("@")) {
            info.disable("the name \"" + name + "\" contains '@', which separates a name from its provider: rename it");
        }
    }

    /** {@code name} as written by {@code provider}: kept if it names a provider, else {@code name@provider}. */
    public static String qualify(String name, String provider) {
        if (name == null || name.isEmpty() || name.contains("@")) {
            return name;
        }
        return name + "@" + provider;
    }

    private static List<String> qualify(List<String> names, String provider) {
        return names.stream().map(n -> qualify(n.trim(), provider)).toList();
    }

    private static Router qualify(Router r, String p) {
        return new Router(r.entryPoints(), qualify(r.middlewares(), p), qualify(r.service(), p), r.rule(),
                r.ruleSyntax(), r.priority(), r.tls());
    }

    private static Service qualify(Service s, String p) {
        if (s instanceof Service.Weighted w) {
            return new Service.Weighted(w.services().stream()
                    .map(ws -> new Service.WeightedService(qualify(ws.name(), p), ws.weight())).toList(), w.sticky(), w.healthCheck());
        }
        if (s instanceof Service.Mirroring m) {
            return new Service.Mirroring(qualify(m.service(), p), m.mirrorBody(), m.maxBodySize(), m.mirrors().stream()
                    .map(mi -> new Service.Mirror(qualify(mi.name(), p), mi.percent())).toList(), m.healthCheck());
        }
        if (s instanceof Service.Failover f) {
            return new Service.Failover(qualify(f.service(), p), qualify(f.fallback(), p), f.healthCheck());
        }
        return s;
    }

    private static Middleware qualify(Middleware m, String p) {
        if (m instanceof Middleware.Chain c) {
            return new Middleware.Chain(qualify(c.middlewares(), p));
        }
        if (m instanceof Middleware.Errors e) {
            return new Middleware.Errors(e.status(), e.statusRewrites(), qualify(e.service(), p), e.query());
        }
        return m;
    }

    public Map<String, RouterInfo> routers() {
        return Collections.unmodifiableMap(routers);
    }

    public Map<String, ServiceInfo> services() {
        return Collections.unmodifiableMap(services);
    }

    public Map<String, MiddlewareInfo> middlewares() {
        return Collections.unmodifiableMap(middlewares);
    }

    public Map<String, ServersTransport> serversTransports() {
        return Collections.unmodifiableMap(serversTransports);
    }

    /** The {@code tls} sections of every provider. */
    public List<TlsConfig> tls() {
        return Collections.unmodifiableList(tls);
    }

    public Instant created() {
        return created;
    }

    /** Every error of every element, each prefixed by the element it belongs to; for logs. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (Map<String, ? extends ElementInfo<?>> m : List.of(routers, services, middlewares)) {
            for (ElementInfo<?> e : m.values()) {
                for (String err : e.errors()) {
                    out.add(e.describe() + ": " + err);
                }
            }
        }
        return out;
    }
}

package dev.switchboard.proxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.config.Behaviour;
import dev.switchboard.proxy.config.ConfigMapper;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.runtime.ElementInfo;
import dev.switchboard.proxy.runtime.MiddlewareInfo;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.runtime.Status;
import dev.switchboard.proxy.upstream.ConfiguredServers;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The API's JSON, in Traefik's shapes ({@code pkg/api}): a router is its configuration with the
 * computed {@code priority}, {@code error[]}, {@code status} and {@code using}; a service is its
 * configuration wrapped by kind with {@code status}, {@code usedBy} and {@code serverStatus}
 * ({@code url} to {@code UP}/{@code DOWN}); a middleware likewise. The list endpoints add
 * {@code name}, {@code provider} and {@code type} (and {@code priorityStr} for routers, the priority
 * as a string because JavaScript cannot hold Traefik's 64-bit priorities).
 */
final class ApiViews {
    static final ObjectMapper JSON = ConfigMapper.json();
    private static final List<String> ROUTER_ORDER = List.of("entryPoints", "middlewares", "service", "rule", "ruleSyntax",
            "priority", "tls");

    private ApiViews() {
    }

    /** A router with what the list endpoint filters and sorts on. */
    record RouterView(String name, String provider, int priority, String status, String rule, String service,
            int entryPoints, List<String> middlewares, ObjectNode json) {
    }

    record ServiceView(String name, String provider, String type, int servers, String status, ObjectNode json) {
    }

    record MiddlewareView(String name, String provider, String type, String status, ObjectNode json) {
    }

    // ---- routers

    /**
     * A router as Traefik's runtime holds it: without {@code entryPoints} it lists the default ones
     * (Traefik's aggregator fills them in), and {@code priority} is the one used for ordering.
     */
    static ObjectNode routerInfo(RouterInfo info, List<String> defaultEntryPoints) {
        ObjectNode config = JSON.valueToTree(info.config());
        if (info.config().entryPoints().isEmpty() && !defaultEntryPoints.isEmpty()) {
            ArrayNode eps = config.putArray("entryPoints");
            defaultEntryPoints.forEach(eps::add);
        }
        config.put("priority", info.priority());
        ObjectNode n = JSON.createObjectNode();
        for (String key : ROUTER_ORDER) {
            if (config.has(key)) {
                n.set(key, config.get(key));
            }
        }
        config.properties().forEach(e -> {
            if (!n.has(e.getKey())) {
                n.set(e.getKey(), e.getValue());
            }
        });
        addStatus(n, info);
        if (!info.using().isEmpty()) {
            ArrayNode using = n.putArray("using");
            info.using().stream().sorted().forEach(using::add);
        }
        return n;
    }

    static RouterView router(RouterInfo info, List<String> defaultEntryPoints) {
        ObjectNode n = routerInfo(info, defaultEntryPoints);
        n.put("name", info.name());
        n.put("provider", info.provider());
        n.put("priorityStr", Integer.toString(info.priority()));
        return new RouterView(info.name(), info.provider(), info.priority(), info.status().json(),
                info.config().rule() == null ? "" : info.config().rule(),
                info.config().service() == null ? "" : info.config().service(), n.has("entryPoints") ? n.get("entryPoints").size() : 0,
                info.config().middlewares(), n);
    }

    static List<RouterView> routers(RuntimeConfiguration rt, List<String> defaultEntryPoints) {
        return rt.routers().values().stream().map(r -> router(r, defaultEntryPoints)).toList();
    }

    // ---- services

    static ObjectNode serviceInfo(ServiceInfo info, StateRegistry states) {
        ObjectNode n = JSON.valueToTree(info.config());
        addStatus(n, info);
        addUsedBy(n, info.usedBy());
        Map<String, String> status = new LinkedHashMap<>();
        ConfiguredServers.of(info, states).forEach((url, state) -> status.put(url, state.healthy() ? "UP" : "DOWN"));
        if (!status.isEmpty()) {
            ObjectNode s = n.putObject("serverStatus");
            status.forEach(s::put);
        }
        return n;
    }

    /** A service built into the proxy ({@code api@internal}): no configuration, always enabled. */
    static ObjectNode internalServiceInfo(String name, RuntimeConfiguration rt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", Status.ENABLED.json());
        TreeSet<String> usedBy = new TreeSet<>();
        rt.routers().values().stream().filter(r -> name.equals(r.config().service())).forEach(r -> usedBy.add(r.name()));
        addUsedBy(n, usedBy);
        return n;
    }

    static ServiceView service(ServiceInfo info, StateRegistry states) {
        ObjectNode n = serviceInfo(info, states);
        String type = serviceType(info.config());
        n.put("name", info.name());
        n.put("provider", info.provider());
        n.put("type", type);
        int servers = info.config() instanceof Service.LoadBalancer lb ? lb.servers().size() : 0;
        return new ServiceView(info.name(), info.provider(), type, servers, info.status().json(), n);
    }

    static ServiceView internalService(String name, RuntimeConfiguration rt) {
        ObjectNode n = internalServiceInfo(name, rt);
        n.put("name", name);
        n.put("provider", "internal");
        return new ServiceView(name, "internal", "", 0, Status.ENABLED.json(), n);
    }

    static List<ServiceView> services(RuntimeConfiguration rt, StateRegistry states, List<String> internal) {
        List<ServiceView> out = new ArrayList<>();
        for (ServiceInfo info : rt.services().values()) {
            out.add(service(info, states));
        }
        for (String name : internal) {
            if (!rt.services().containsKey(name)) {
                out.add(internalService(name, rt));
            }
        }
        out.sort(java.util.Comparator.comparing(ServiceView::name));
        return out;
    }

    static String serviceType(Service service) {
        for (Map.Entry<String, Class<? extends Service>> e : Service.KINDS.entrySet()) {
            if (e.getValue() == service.getClass()) {
                return e.getKey().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    // ---- middlewares

    static ObjectNode middlewareInfo(MiddlewareInfo info) {
        ObjectNode n = JSON.valueToTree(info.config());
        addStatus(n, info);
        addUsedBy(n, info.usedBy());
        return n;
    }

    static MiddlewareView middleware(MiddlewareInfo info) {
        ObjectNode n = middlewareInfo(info);
        String type = info.config().kind().toLowerCase(Locale.ROOT);
        n.put("name", info.name());
        n.put("provider", info.provider());
        n.put("type", type);
        return new MiddlewareView(info.name(), info.provider(), type, info.status().json(), n);
    }

    static List<MiddlewareView> middlewares(RuntimeConfiguration rt) {
        return rt.middlewares().values().stream().map(ApiViews::middleware).toList();
    }

    private static void addStatus(ObjectNode n, ElementInfo<?> info) {
        List<String> errors = info.errors();
        if (!errors.isEmpty()) {
            ArrayNode a = n.putArray("error");
            errors.forEach(a::add);
        }
        n.put("status", info.status().json());
    }

    private static void addUsedBy(ObjectNode n, Collection<String> usedBy) {
        if (!usedBy.isEmpty()) {
            ArrayNode a = n.putArray("usedBy");
            new TreeSet<>(usedBy).forEach(a::add);
        }
    }

    // ---- rawdata, overview, entry points, version

    static ObjectNode rawdata(RuntimeConfiguration rt, StateRegistry states, List<String> internal,
            List<String> defaultEntryPoints) {
        ObjectNode root = JSON.createObjectNode();
        if (!rt.routers().isEmpty()) {
            ObjectNode routers = root.putObject("routers");
            rt.routers().forEach((name, info) -> routers.set(name, routerInfo(info, defaultEntryPoints)));
        }
        ObjectNode middlewares = JSON.createObjectNode();
        rt.middlewares().forEach((name, info) -> middlewares.set(name, middlewareInfo(info)));
        if (!middlewares.isEmpty()) {
            root.set("middlewares", middlewares);
        }
        Map<String, JsonNode> services = new java.util.TreeMap<>();
        rt.services().forEach((name, info) -> services.put(name, serviceInfo(info, states)));
        for (String name : internal) {
            services.putIfAbsent(name, internalServiceInfo(name, rt));
        }
        if (!services.isEmpty()) {
            ObjectNode s = root.putObject("services");
            services.forEach(s::set);
        }
        return root;
    }

    static ObjectNode overview(StaticConfig config, RuntimeConfiguration rt, List<String> internal) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode http = root.putObject("http");
        http.set("routers", section(rt.routers().values().stream().map(ElementInfo::status).toList()));
        List<Status> services = new ArrayList<>(rt.services().values().stream().map(ElementInfo::status).toList());
        internal.stream().filter(n -> !rt.services().containsKey(n)).forEach(n -> services.add(Status.ENABLED));
        http.set("services", section(services));
        http.set("middlewares", section(rt.middlewares().values().stream().map(ElementInfo::status).toList()));
        ObjectNode tcp = root.putObject("tcp");
        tcp.set("routers", section(List.of()));
        tcp.set("services", section(List.of()));
        tcp.set("middlewares", section(List.of()));
        ObjectNode udp = root.putObject("udp");
        udp.set("routers", section(List.of()));
        udp.set("services", section(List.of()));
        ObjectNode features = root.putObject("features");
        features.put("tracing", "");
        features.put("metrics", config.prometheus() != null ? "Prometheus" : "");
        features.put("accessLog", config.accessLog() != null);
        List<String> providers = providers(config.providers());
        if (!providers.isEmpty()) {
            ArrayNode p = root.putArray("providers");
            providers.forEach(p::add);
        }
        return root;
    }

    private static ObjectNode section(List<Status> statuses) {
        ObjectNode n = JSON.createObjectNode();
        n.put("total", statuses.size());
        n.put("warnings", statuses.stream().filter(s -> s == Status.WARNING).count());
        n.put("errors", statuses.stream().filter(s -> s == Status.DISABLED).count());
        return n;
    }

    /** Traefik lists the providers that are on by their option's name, capitalised ({@code File}, {@code Docker}). */
    static List<String> providers(StaticConfig.Providers providers) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : StaticConfig.Providers.class.getRecordComponents()) {
            if (c.getType() == Duration.class) {
                continue;
            }
            try {
                if (c.getAccessor().invoke(providers) != null) {
                    names.add(Character.toUpperCase(c.getName().charAt(0)) + c.getName().substring(1));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    static ObjectNode entryPoint(String name, StaticConfig.EntryPoint ep) {
        ObjectNode n = JSON.valueToTree(ep);
        if (!ep.asDefault()) {
            n.remove("asDefault");
        }
        JsonNode fh = n.get("forwardedHeaders");
        if (fh instanceof ObjectNode f && !ep.forwardedHeaders().insecure()) {
            f.remove("insecure");
        }
        n.putObject("http");
        n.put("name", name);
        return n;
    }

    /**
     * Traefik's {@code /api/version} fields, and Switchboard's: the profile and the improvements
     * that are on (option names), so a client sees whether it talks to Traefik's behaviour.
     */
    static ObjectNode version(String version, java.time.Instant started, Behaviour behaviour) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Version", version);
        n.put("Codename", "switchboard");
        n.put("startDate", started.toString());
        n.put("profile", behaviour.profile().id());
        ArrayNode improvements = n.putArray("improvements");
        for (Improvement i : behaviour.improvements()) {
            improvements.add(i.option());
        }
        return n;
    }
}

package dev.switchboard.proxy.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.metrics.RequestLabels;
import dev.switchboard.proxy.runtime.ElementInfo;
import dev.switchboard.proxy.runtime.Reload;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.upstream.ConfiguredServers;
import dev.switchboard.proxy.upstream.ServerState;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Live counters for the dashboard, kept whether or not Prometheus metrics are on: requests, client
 * errors (4xx) and server errors (5xx) per entry point, router, service and server, retries per
 * service, and the last configuration reloads. Counted when each exchange completes (a Jetty
 * {@link RequestLog}, next to the access log), from the request's {@link RequestContext}; the
 * forwarding path is not touched. Requests to the proxy's own services (the dashboard polling the
 * API) are left out, as Traefik leaves them out of its metrics.
 *
 * <p>Served as {@code /api/switchboard/stats}, a Switchboard extension of Traefik's API: totals only;
 * the dashboard computes rates from two samples and {@code uptimeMillis}.
 */
public final class TrafficStats implements RequestLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrafficStats.class);
    private static final int RELOAD_HISTORY = 20;

    /** The counters of one element. */
    static final class Counts {
        final LongAdder requests = new LongAdder();
        final LongAdder clientErrors = new LongAdder();
        final LongAdder serverErrors = new LongAdder();

        void count(int status) {
            requests.increment();
            if (status >= 500) {
                serverErrors.increment();
            } else if (status >= 400) {
                clientErrors.increment();
            }
        }

        ObjectNode json(ObjectMapper m) {
            ObjectNode n = m.createObjectNode();
            n.put("requests", requests.sum());
            n.put("clientErrors", clientErrors.sum());
            n.put("serverErrors", serverErrors.sum());
            return n;
        }
    }

    private final Supplier<RuntimeConfiguration> runtime;
    private final boolean addInternals;
    private final long startNanos = System.nanoTime();
    private final Map<String, Counts> entryPoints = new ConcurrentHashMap<>();
    private final Map<String, Counts> routers = new ConcurrentHashMap<>();
    private final Map<String, Counts> services = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    /** By service, then by server URL as the proxy uses it ({@link ServerState#url()}). */
    private final Map<String, Map<String, Counts>> servers = new ConcurrentHashMap<>();
    private final Deque<Reload> reloads = new ArrayDeque<>();

    public TrafficStats(Supplier<RuntimeConfiguration> runtime, boolean addInternals) {
        this.runtime = runtime;
        this.addInternals = addInternals;
    }

    @Override
    public void log(Request request, Response response) {
        try {
            count(request, response);
        } catch (RuntimeException e) {
            // Counting must never disturb the exchange or the other request logs.
            LOG.warn("dashboard counters: {}", e.toString(), e);
        }
    }

    private void count(Request request, Response response) {
        RequestContext ctx = RequestContext.of(request);
        if (ctx == null) {
            return;
        }
        String routerService = RequestLabels.routerService(ctx, runtime.get());
        if (RequestLabels.internal(routerService) && !addInternals) {
            return;
        }
        int status = response.getStatus();
        entryPoints.computeIfAbsent(ctx.entryPoint(), k -> new Counts()).count(status);
        if (ctx.routerName() != null) {
            routers.computeIfAbsent(ctx.routerName(), k -> new Counts()).count(status);
        }
        String service = ctx.serviceName() != null ? ctx.serviceName() : routerService;
        if (service != null) {
            services.computeIfAbsent(service, k -> new Counts()).count(status);
            if (ctx.retryAttempts() > 0) {
                retries.computeIfAbsent(service, k -> new LongAdder()).add(ctx.retryAttempts());
            }
            if (ctx.serverUrl() != null) {
                servers.computeIfAbsent(service, k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(ctx.serverUrl(), k -> new Counts()).count(status);
            }
        }
    }

    /** Keeps the reload in the history and forgets counters of routers and services that are gone. */
    public void onReload(Reload reload) {
        synchronized (reloads) {
            reloads.addFirst(reload);
            while (reloads.size() > RELOAD_HISTORY) {
                reloads.removeLast();
            }
        }
        if (reload.success()) {
            RuntimeConfiguration rt = reload.runtime();
            routers.keySet().retainAll(rt.routers().keySet());
            services.keySet().removeIf(s -> !s.endsWith("@internal") && !rt.services().containsKey(s));
            servers.keySet().removeIf(s -> !s.endsWith("@internal") && !rt.services().containsKey(s));
            retries.keySet().removeIf(s -> !s.endsWith("@internal") && !rt.services().containsKey(s));
        }
    }

    /** The last reloads, newest first. */
    public List<Reload> reloads() {
        synchronized (reloads) {
            return List.copyOf(reloads);
        }
    }

    /** The JSON of {@code /api/switchboard/stats}. */
    ObjectNode snapshot(ObjectMapper m, RuntimeConfiguration rt, StateRegistry states,
            Map<String, ConnectionStatistics> connections) {
        ObjectNode root = m.createObjectNode();
        root.put("uptimeMillis", (System.nanoTime() - startNanos) / 1_000_000);
        root.put("time", java.time.Instant.now().toString());

        ObjectNode eps = root.putObject("entryPoints");
        connections.forEach((name, stats) -> {
            Counts c = entryPoints.getOrDefault(name, new Counts());
            eps.set(name, c.json(m).put("openConnections", stats.getConnections()));
        });

        ObjectNode rs = root.putObject("routers");
        rt.routers().keySet().forEach(name -> rs.set(name, routers.getOrDefault(name, new Counts()).json(m)));
        routers.forEach((name, c) -> {
            if (!rs.has(name)) {
                rs.set(name, c.json(m));
            }
        });

        ObjectNode ss = root.putObject("services");
        for (ServiceInfo si : rt.services().values()) {
            ObjectNode s = services.getOrDefault(si.name(), new Counts()).json(m);
            LongAdder r = retries.get(si.name());
            s.put("retries", r == null ? 0 : r.sum());
            ObjectNode byServer = s.putObject("servers");
            Map<String, Counts> counted = servers.getOrDefault(si.name(), Map.of());
            ConfiguredServers.of(si, states).forEach((url, state) -> {
                ObjectNode n = counted.getOrDefault(state.url(), new Counts()).json(m);
                n.put("up", state.healthy());
                n.put("inFlight", state.inFlight());
                n.put("weight", state.weight());
                byServer.set(url, n);
            });
            ss.set(si.name(), s);
        }
        services.forEach((name, c) -> {
            if (!ss.has(name)) {
                LongAdder r = retries.get(name);
                ss.set(name, c.json(m).put("retries", r == null ? 0 : r.sum()));
            }
        });

        ObjectNode sources = root.putObject("sources");
        sources.set("routers", sources(m, rt.routers()));
        sources.set("services", sources(m, rt.services()));
        sources.set("middlewares", sources(m, rt.middlewares()));

        ArrayNode history = root.putArray("reloads");
        for (Reload reload : reloads()) {
            ObjectNode n = history.addObject();
            n.put("time", reload.at().toString());
            ArrayNode providers = n.putArray("providers");
            reload.providers().forEach(providers::add);
            n.put("success", reload.success());
            ArrayNode problems = n.putArray("problems");
            reload.problems().forEach(problems::add);
        }
        return root;
    }

    private static ObjectNode sources(ObjectMapper m, Map<String, ? extends ElementInfo<?>> elements) {
        ObjectNode n = m.createObjectNode();
        elements.forEach((name, e) -> {
            if (e.source() != null) {
                n.put(name, e.source());
            }
        });
        return n;
    }
}

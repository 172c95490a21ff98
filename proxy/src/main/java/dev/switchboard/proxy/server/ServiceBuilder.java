package dev.switchboard.proxy.server;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.balancer.Strategy;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.Suggestions;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.forward.Forwarder;
import dev.switchboard.proxy.health.ActiveHealthCheck;
import dev.switchboard.proxy.health.PassiveHealthCheck;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.service.FailoverHandler;
import dev.switchboard.proxy.service.LoadBalancerHandler;
import dev.switchboard.proxy.service.MirroringHandler;
import dev.switchboard.proxy.service.ServiceHandler;
import dev.switchboard.proxy.service.StickyCookie;
import dev.switchboard.proxy.service.WeightedHandler;
import dev.switchboard.proxy.upstream.ServerState;
import dev.switchboard.proxy.upstream.ServerUrls;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;

/**
 * Builds the services of one configuration (Traefik's {@code pkg/server/service}): each service
 * once, by name, recursively for weighted, mirroring and failover services, with recursion
 * detected. Server state comes from the {@link StateRegistry} and balancer selectors continue from
 * the previous configuration's, so a reload keeps health, counters and rotation. Health checks are
 * created here and started when the whole configuration is built ({@link #startHealthChecks}).
 */
final class ServiceBuilder {
    private final RuntimeConfiguration rt;
    private final StaticConfig staticConfig;
    private final Forwarder forwarder;
    private final StateRegistry states;
    private final InternalHandlers internal;
    private final Map<String, Selector> previousSelectors;
    private final List<AutoCloseable> resources;
    private final Map<String, Request.Handler> built = new HashMap<>();
    private final Map<String, Set<String>> serverUrls = new HashMap<>();
    private final Map<String, Selector> selectors = new HashMap<>();
    private final List<ActiveHealthCheck> checkers = new ArrayList<>();

    ServiceBuilder(RuntimeConfiguration rt, StaticConfig staticConfig, Forwarder forwarder, StateRegistry states,
            InternalHandlers internal, Map<String, Selector> previousSelectors, List<AutoCloseable> resources) {
        this.rt = rt;
        this.staticConfig = staticConfig;
        this.forwarder = forwarder;
        this.states = states;
        this.internal = internal;
        this.previousSelectors = previousSelectors;
        this.resources = resources;
    }

    /** The handler of service {@code name} (qualified), built once per compilation. */
    Request.Handler service(String name) {
        return service(name, new ArrayDeque<>());
    }

    /** Whether service {@code name} (already built) may block the thread that handles a request. */
    boolean mayBlock(String name) {
        return ServiceHandler.mayBlock(service(name));
    }

    /** Builds the services no router uses too, so their errors show and their health is known. */
    void buildUnused() {
        for (ServiceInfo si : rt.services().values()) {
            if (!si.isDisabled()) {
                try {
                    service(si.name());
                } catch (ConfigException e) {
                    // recorded on the service
                }
            }
        }
    }

    /**
     * Starts the health checks once the whole configuration is built; closing the compiled
     * configuration (at the next reload) stops them, while health stays on the servers' state.
     */
    void startHealthChecks() {
        checkers.forEach(ActiveHealthCheck::start);
    }

    /** Per service, its server URLs (loadBalancer) or child names (weighted). */
    Map<String, Set<String>> serverUrls() {
        return Map.copyOf(serverUrls);
    }

    /** Per balancing service, its selector, which the next compilation continues. */
    Map<String, Selector> selectors() {
        return Map.copyOf(selectors);
    }

    private Request.Handler service(String name, Deque<String> stack) {
        if (internal.isInternal(name)) {
            Request.Handler h = internal.get(name);
            if (h == null) {
                throw new ConfigException("the service \"" + name + "\" does not exist" + Suggestions.didYouMean(name, internal.names()));
            }
            return h;
        }
        Request.Handler handler = built.get(name);
        if (handler != null) {
            return handler;
        }
        ServiceInfo si = rt.services().get(name);
        if (si == null) {
            throw new ConfigException("the service \"" + name + "\" does not exist" + Suggestions.didYouMean(name, rt.services().keySet()));
        }
        if (si.isDisabled()) {
            throw new ConfigException("the service \"" + name + "\" is disabled: " + String.join("; ", si.errors()));
        }
        if (stack.contains(name)) {
            List<String> cycle = new ArrayList<>(stack);
            Collections.reverse(cycle);
            cycle.add(name);
            throw new ConfigException("service recursion: " + String.join(" -> ", cycle));
        }
        stack.push(name);
        try {
            handler = build(si, stack);
            built.put(name, handler);
            return handler;
        } catch (ConfigException e) {
            si.disable(e.getMessage());
            throw new ConfigException("the service \"" + name + "\" is disabled: " + e.getMessage());
        } finally {
            stack.pop();
        }
    }

    private Request.Handler build(ServiceInfo si, Deque<String> stack) {
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
            URI uri = ServerUrls.parse(server.url());
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

        boolean steady = staticConfig.behaviour().on(Improvement.STEADY_HEALTH_CHECKS);
        if (!steady) {
            // Traefik builds new balancers at every configuration change: every server starts UP again.
            targets.keySet().forEach(state -> state.health().reset());
        }
        ActiveHealthCheck active = null;
        if (lb.healthCheck() != null) {
            ActiveHealthCheck.Settings settings = ActiveHealthCheck.Settings.of(lb.healthCheck(), si::warn);
            active = new ActiveHealthCheck(si.name(), settings, targets, forwarder.probeClient(), steady);
            checkers.add(active);
            resources.add(active);
        }
        boolean passiveRefused = staticConfig.behaviour().on(Improvement.PASSIVE_REFUSED);
        PassiveHealthCheck passive = PassiveHealthCheck.of(si.name(), lb.passiveHealthCheck(), active != null,
                passiveRefused);
        if (active == null) {
            // Nobody probes these servers any more: health is the passive check's alone.
            for (ServerState state : targets.keySet()) {
                state.health().resetActive(passive.window().toNanos());
            }
        }
        StickyCookie<ServerState> sticky = null;
        if (lb.sticky() != null && lb.sticky().cookie() != null) {
            warnSameSite(si, lb.sticky().cookie());
            sticky = new StickyCookie<>(lb.sticky().cookie(), si.name(), byConfiguredUrl);
        }
        Selector selector = strategy.newSelector(List.copyOf(targets.keySet()), previousSelectors.get(si.name()));
        selectors.put(si.name(), selector);
        return new LoadBalancerHandler(si.name(), servers, selector, forwarder, new LoadBalancerHandler.Settings(
                lb.passHostHeader(), transport.forwardingTimeouts().responseHeaderTimeout(), passiveRefused), sticky, passive);
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
        boolean implicit = staticConfig.behaviour().on(Improvement.IMPLICIT_PARENT_HEALTH);
        if (!implicit && w.healthCheck() != null) {
            for (Service.WeightedService ws : w.services()) {
                requireStatus(ws.name(), si, "weighted");
            }
        }
        WeightedHandler handler = new WeightedHandler(si.name(), children, sticky, previousSelectors.get(si.name()),
                implicit || w.healthCheck() != null, implicit);
        selectors.put(si.name(), handler.selector());
        return handler;
    }

    private Request.Handler mirroring(ServiceInfo si, Service.Mirroring m, Deque<String> stack) {
        if (m.service() == null || m.service().isBlank()) {
            throw new ConfigException("a mirroring service needs service: the service whose answers clients get");
        }
        Request.Handler main = service(m.service(), stack);
        if (m.healthCheck() != null && !staticConfig.behaviour().on(Improvement.IMPLICIT_PARENT_HEALTH)) {
            requireStatus(m.service(), si, "mirroring");
        }
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
        Request.Handler main = service(f.service(), stack);
        Request.Handler fallback = service(f.fallback(), stack);
        boolean implicit = staticConfig.behaviour().on(Improvement.IMPLICIT_PARENT_HEALTH);
        if (!implicit) {
            requireStatus(f.service(), si, "failover");
            if (f.healthCheck() != null) {
                requireStatus(f.fallback(), si, "failover");
            }
        }
        return new FailoverHandler(si.name(), main, fallback, implicit || f.healthCheck() != null, implicit);
    }

    /**
     * Traefik v3.2's rule for a parent that follows a child's health: the child must report it, so a
     * {@code loadBalancer} child needs a {@code healthCheck} and a weighted, failover or mirroring
     * child {@code healthCheck: {}}; Traefik refuses the parent otherwise ("cannot register ... as
     * updater"). Not checked with {@code implicitParentHealth}, where parents always know.
     */
    private void requireStatus(String child, ServiceInfo parent, String parentKind) {
        String qualified = RuntimeConfiguration.qualify(child, parent.provider());
        ServiceInfo ci = rt.services().get(qualified);
        Service config = ci == null ? null : ci.config();
        boolean reports = config instanceof Service.LoadBalancer lb ? lb.healthCheck() != null
                : config instanceof Service.Weighted w ? w.healthCheck() != null
                : config instanceof Service.Failover f ? f.healthCheck() != null
                : config instanceof Service.Mirroring m && m.healthCheck() != null;
        if (reports) {
            return;
        }
        String fix = config instanceof Service.LoadBalancer ? "give it a healthCheck (path, interval)"
                : config == null ? "use a loadBalancer, weighted, mirroring or failover service with a health check"
                : "add healthCheck: {} to it";
        throw new ConfigException("the " + parentKind + " service follows the health of " + qualified
                + ", which reports none: " + fix + " (Traefik v3.2 refuses this: \"healthCheck not enabled in config\";"
                + " Switchboard's implicitParentHealth does without)");
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

    private static String kindOf(Service s) {
        return Service.KINDS.entrySet().stream().filter(e -> e.getValue() == s.getClass()).map(Map.Entry::getKey)
                .findFirst().orElse(s.getClass().getSimpleName());
    }
}

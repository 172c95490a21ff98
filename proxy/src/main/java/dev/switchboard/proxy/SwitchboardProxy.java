package dev.switchboard.proxy;

import dev.switchboard.proxy.accesslog.AccessLog;
import dev.switchboard.proxy.api.ApiHandler;
import dev.switchboard.proxy.api.DashboardHandler;
import dev.switchboard.proxy.api.TrafficStats;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.forward.Forwarders;
import dev.switchboard.proxy.internal.InternalProvider;
import dev.switchboard.proxy.internal.Ping;
import dev.switchboard.proxy.metrics.PrometheusHandler;
import dev.switchboard.proxy.metrics.PrometheusMetrics;
import dev.switchboard.proxy.middleware.MiddlewareFactory;
import dev.switchboard.proxy.provider.FileProvider;
import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.docker.DockerProvider;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.server.ConfigurationWatcher;
import dev.switchboard.proxy.server.EntryPoints;
import dev.switchboard.proxy.server.InternalHandlers;
import dev.switchboard.proxy.server.RouterFactory;
import dev.switchboard.proxy.tls.CertificateStore;
import dev.switchboard.proxy.tls.TlsConnectors;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy: a Jetty server with a connector per entry point, the forwarders (one per
 * servers transport), the providers and the watcher that applies what they send. Built from a {@link StaticConfig}; used by
 * {@link Main} and, with ports {@code :0}, by tests.
 */
public final class SwitchboardProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardProxy.class);

    private final StaticConfig config;
    private final Server server;
    private final CertificateStore certificates = new CertificateStore();
    private final EntryPoints entryPoints;
    private final Forwarders forwarders;
    private final StateRegistry states = new StateRegistry();
    private final InternalHandlers internal = new InternalHandlers();
    private final InternalProvider internalProvider;
    private final ConfigurationWatcher watcher;
    private final List<Provider> providers = new ArrayList<>();
    private final AccessLog accessLog;
    private final TrafficStats traffic;
    private final PrometheusMetrics metrics;
    private final Instant started = Instant.now();
    private volatile boolean terminating;

    /**
     * Wires the parts, in the order a request meets them: the server and its entry points, the
     * forwarder, the internal services, the router factory and the watcher that applies
     * configurations, the observers of completed exchanges, and the providers.
     */
    public SwitchboardProxy(StaticConfig config) {
        this.config = config;
        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("switchboard");
        // Entry points accept response heads up to 1 MiB (Forwarder.MAX_RESPONSE_HEAD_BYTES), and Jetty takes a
        // header buffer of that size for every response: the pool must keep buffers that large, or each
        // response allocates (and zeroes) 1 MiB of direct memory and the proxy spends its time in System.gc.
        this.server = new Server(threads, null, new org.eclipse.jetty.io.ArrayByteBufferPool(0, 0,
                dev.switchboard.proxy.forward.Forwarder.MAX_RESPONSE_HEAD_BYTES + 4096)) {
            /** Consulted per request by the connections: non-blocking while no router can block. */
            @Override
            public InvocationType getInvocationType() {
                return nonBlockingRouters() ? InvocationType.NON_BLOCKING : super.getInvocationType();
            }
        };
        server.setStopTimeout(graceTimeout().toMillis());
        this.entryPoints = new EntryPoints(config, server, threads, certificates);

        this.forwarders = new Forwarders(server, config.serversTransport(), config.entryPoints().values().stream()
                .mapToInt(ep -> ep.http().maxHeaderBytes() + 8192).max().orElse((1 << 20) + 8192));
        server.addBean(forwarders);

        if (config.ping() != null) {
            internal.register("ping@internal", new Ping(() -> terminating, config.ping().terminatingStatusCode()));
        }
        internal.register("noop@internal", TlsConnectors.NOOP);
        this.internalProvider = new InternalProvider(config, MiddlewareFactory.FACTORY::supports);
        internalProvider.portLookup(entryPoints::boundPort);
        RouterFactory routers = new RouterFactory(config, forwarders, states, internal, MiddlewareFactory.FACTORY);
        this.watcher = new ConfigurationWatcher(routers, entryPoints, config.providersThrottleDuration(),
                compiled -> states.retain(compiled.serverUrls()));
        watcher.onReload(reload -> {
            if (reload.success()) {
                certificates.update(reload.runtime().tls());
            }
        });

        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(entryPoints);
        server.setHandler(graceful);

        boolean addInternals = config.metrics() != null && config.metrics().addInternals();
        this.traffic = config.api() == null ? null : new TrafficStats(watcher::runtime, addInternals);
        if (traffic != null) {
            registerApi();
        }
        this.metrics = config.prometheus() == null ? null
                : new PrometheusMetrics(config.prometheus(), addInternals, watcher::runtime, states, entryPoints.connections());
        if (metrics != null) {
            watcher.onReload(metrics::onReload);
            internal.register("prometheus@internal", new PrometheusHandler(metrics.registry()));
        }
        this.accessLog = config.accessLog() == null ? null : new AccessLog(config.accessLog());
        observeExchanges();

        providers.add(internalProvider);
        if (config.providers().file() != null) {
            providers.add(new FileProvider(config.providers().file()));
        }
        if (config.providers().docker() != null) {
            providers.add(new DockerProvider(config.providers().docker(), config.behaviour().on(Improvement.DOCKER_EVENTS_AT_ONCE)));
        }
    }

    /** {@code api@internal} and {@code dashboard@internal}, and the dashboard's counters. */
    private void registerApi() {
        if (config.api().debug()) {
            LOG.warn("--api.debug has no effect: Traefik's debug endpoints are Go's (expvar, pprof); "
                    + "use the JVM's tools (jcmd, JFR) instead");
        }
        watcher.onReload(traffic::onReload);
        internal.register("api@internal", new ApiHandler(new ApiHandler.Sources(config, watcher::runtime, states,
                internalProvider.services(), entryPoints.connections(), traffic, started)));
        if (config.api().dashboard()) {
            internal.register("dashboard@internal", new DashboardHandler(config.api()));
        }
    }

    /** Observers of completed exchanges, all off the forwarding path: access log, dashboard counters, metrics. */
    private void observeExchanges() {
        List<RequestLog> requestLogs = new ArrayList<>();
        if (accessLog != null) {
            requestLogs.add(accessLog);
        }
        if (traffic != null) {
            requestLogs.add(traffic);
        }
        if (metrics != null) {
            requestLogs.add(metrics);
        }
        if (requestLogs.size() == 1) {
            server.setRequestLog(requestLogs.get(0));
        } else if (!requestLogs.isEmpty()) {
            server.setRequestLog(new RequestLog.Collection(requestLogs.toArray(RequestLog[]::new)));
        }
    }

    /**
     * True when {@link dev.switchboard.proxy.config.Tuning#SERVER_NON_BLOCKING} is on and no entry
     * point has a router that can block ({@link EntryPoints#nonBlocking()}).
     */
    public boolean nonBlockingRouters() {
        EntryPoints eps = entryPoints; // null only while the constructor runs
        return eps != null && eps.nonBlocking();
    }

    private Duration graceTimeout() {
        return config.entryPoints().values().stream().map(ep -> ep.transport().lifeCycle().graceTimeOut())
                .max(Duration::compareTo).orElse(Duration.ofSeconds(10));
    }

    /**
     * Reads the providers' first configuration, then opens the entry points, so that the first
     * request already finds its router.
     */
    public SwitchboardProxy start() throws Exception {
        for (ServerConnector connector : entryPoints.connectors().values()) {
            connector.open(); // bind now, so that redirections know the ports of ":0" entry points
        }
        server.start();
        for (Provider provider : providers) {
            provider.start(watcher);
        }
        watcher.applyPending();
        for (ServerConnector connector : entryPoints.connectors().values()) {
            server.addConnector(connector);
            if (!connector.isStarted()) {
                connector.start();
            }
        }
        return this;
    }

    /** The port entry point {@code name} listens on (useful with {@code :0}). */
    public int port(String name) {
        ServerConnector connector = entryPoints.connectors().get(name);
        if (connector == null) {
            throw new IllegalArgumentException("no entry point " + name);
        }
        return connector.getLocalPort();
    }

    /** The certificates HTTPS connections are served with (SNI selection, reloaded with the configuration). */
    public CertificateStore certificates() {
        return certificates;
    }

    public StaticConfig staticConfig() {
        return config;
    }

    public RuntimeConfiguration runtime() {
        return watcher.runtime();
    }

    public ConfigurationWatcher watcher() {
        return watcher;
    }

    public StateRegistry states() {
        return states;
    }

    public InternalHandlers internalHandlers() {
        return internal;
    }

    public InternalProvider internalProvider() {
        return internalProvider;
    }

    /** The dashboard's live counters, or null when the API is off. */
    public TrafficStats trafficStats() {
        return traffic;
    }

    /** The Prometheus metrics, or null without {@code --metrics.prometheus}. */
    public PrometheusMetrics metrics() {
        return metrics;
    }

    /** Connection statistics per entry point (open connections for metrics and the dashboard). */
    public Map<String, ConnectionStatistics> connections() {
        return entryPoints.connections();
    }

    /** Adds a provider before {@link #start()} (the Docker provider, a test's provider). */
    public void addProvider(Provider provider) {
        providers.add(provider);
    }

    /**
     * Stops gracefully: {@code /ping} answers 503 at once, new requests are still taken for
     * {@code requestAcceptGraceTimeout}, then in-flight requests get up to {@code graceTimeOut}.
     */
    @Override
    public void close() {
        terminating = true;
        Duration accept = config.entryPoints().values().stream()
                .map(ep -> ep.transport().lifeCycle().requestAcceptGraceTimeout()).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        if (!accept.isZero()) {
            try {
                Thread.sleep(accept.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Provider provider : providers) {
            provider.close();
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the server: {}", e.toString());
        }
        watcher.close();
        if (accessLog != null) {
            accessLog.close();
        }
    }
}

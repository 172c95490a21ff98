package dev.switchboard.proxy.metrics;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.runtime.Reload;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.upstream.ConfiguredServers;
import dev.switchboard.proxy.upstream.StateRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Traefik's Prometheus metrics, same names and labels ({@code pkg/observability/metrics/prometheus.go}),
 * made with the Prometheus Java client and served by {@code prometheus@internal}:
 * <ul>
 * <li>{@code traefik_entrypoint_requests_total}, {@code _request_duration_seconds},
 * {@code _requests_bytes_total}, {@code _responses_bytes_total} by {@code code, method, protocol,
 * entrypoint} ({@code addEntryPointsLabels}, on by default);</li>
 * <li>the same as {@code traefik_router_*} by {@code code, method, protocol, router, service}
 * ({@code addRoutersLabels}, off by default) and {@code traefik_service_*} by
 * {@code code, method, protocol, service} ({@code addServicesLabels}, on by default), with
 * {@code traefik_service_retries_total{service}} and {@code traefik_service_server_up{service,url}};</li>
 * <li>{@code traefik_config_reloads_total}, {@code traefik_config_last_reload_success} (Unix time of
 * the last successful reload), {@code traefik_open_connections{entrypoint,protocol}}; plus, kept from
 * Traefik v2 because students break their configuration often, {@code traefik_config_reloads_failure_total}
 * and {@code traefik_config_last_reload_failure};</li>
 * <li>the JVM's {@code process_*} and {@code jvm_*}, where Traefik has {@code process_*} and {@code go_*}.</li>
 * </ul>
 * Requests are counted when they complete (a Jetty {@link RequestLog} next to the access log),
 * from the request's {@link RequestContext}: the forwarding path is not touched. Requests to the
 * proxy's own services are left out unless {@code --metrics.addInternals}, as in Traefik.
 *
 * <p>Better than Traefik: {@code traefik_service_server_up} is there for every server of every
 * load balancer (Traefik reports it only for services with a health check), and series of routers
 * and services that a reload removed are dropped at that reload.
 */
public final class PrometheusMetrics implements RequestLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrometheusMetrics.class);
    private static final String[] BASE = {"code", "method", "protocol"};
    /** The JVM's metrics, registered once per JVM (the client keeps every registry it registered them in). */
    private static final PrometheusRegistry JVM = jvmRegistry();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final StaticConfig.Prometheus config;
    private final boolean addInternals;
    private final Supplier<RuntimeConfiguration> runtime;
    private final List<String> headerNames = new ArrayList<>();

    private final Counter entryPointRequests;
    private final Histogram entryPointDuration;
    private final Counter entryPointRequestBytes;
    private final Counter entryPointResponseBytes;
    private final Counter routerRequests;
    private final Histogram routerDuration;
    private final Counter routerRequestBytes;
    private final Counter routerResponseBytes;
    private final Counter serviceRequests;
    private final Histogram serviceDuration;
    private final Counter serviceRequestBytes;
    private final Counter serviceResponseBytes;
    private final Counter serviceRetries;
    private final Counter configReloads;
    private final Counter configReloadFailures;
    private final Gauge lastReloadSuccess;
    private final Gauge lastReloadFailure;

    public PrometheusMetrics(StaticConfig.Prometheus config, boolean addInternals, Supplier<RuntimeConfiguration> runtime,
            StateRegistry states, Map<String, ConnectionStatistics> connections) {
        this.config = config;
        this.addInternals = addInternals;
        this.runtime = runtime;
        List<String> headerLabels = new ArrayList<>();
        config.headerLabels().forEach((label, header) -> {
            headerLabels.add(label);
            headerNames.add(header);
        });
        double[] buckets = config.buckets().stream().mapToDouble(Double::doubleValue).toArray();

        configReloads = Counter.builder().name("traefik_config_reloads_total").help("Config reloads")
                .withoutExemplars().register(registry);
        lastReloadSuccess = Gauge.builder().name("traefik_config_last_reload_success")
                .help("Last config reload success").withoutExemplars().register(registry);
        configReloadFailures = Counter.builder().name("traefik_config_reloads_failure_total")
                .help("Config reload failures (Traefik v2's metric, kept by Switchboard)").withoutExemplars().register(registry);
        lastReloadFailure = Gauge.builder().name("traefik_config_last_reload_failure")
                .help("Last config reload failure (Traefik v2's metric, kept by Switchboard)").withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("traefik_open_connections")
                .help("How many open connections exist, by entryPoint and protocol").labelNames("entrypoint", "protocol")
                .callback(cb -> connections.forEach((ep, stats) -> cb.call(stats.getConnections(), ep, "TCP")))
                .register(registry);

        if (config.addEntryPointsLabels()) {
            entryPointRequests = counter("traefik_entrypoint_requests_total",
                    "How many HTTP requests processed on an entrypoint, partitioned by status code, protocol, and method.",
                    labels(headerLabels, "entrypoint"));
            entryPointDuration = histogram("traefik_entrypoint_request_duration_seconds",
                    "How long it took to process the request on an entrypoint, partitioned by status code, protocol, and method.",
                    buckets, labels(List.of(), "entrypoint"));
            entryPointRequestBytes = counter("traefik_entrypoint_requests_bytes_total",
                    "The total size of requests in bytes handled by an entrypoint, partitioned by status code, protocol, and method.",
                    labels(List.of(), "entrypoint"));
            entryPointResponseBytes = counter("traefik_entrypoint_responses_bytes_total",
                    "The total size of responses in bytes handled by an entrypoint, partitioned by status code, protocol, and method.",
                    labels(List.of(), "entrypoint"));
        } else {
            entryPointRequests = null;
            entryPointDuration = null;
            entryPointRequestBytes = null;
            entryPointResponseBytes = null;
        }
        if (config.addRoutersLabels()) {
            routerRequests = counter("traefik_router_requests_total",
                    "How many HTTP requests are processed on a router, partitioned by service, status code, protocol, and method.",
                    labels(headerLabels, "router", "service"));
            routerDuration = histogram("traefik_router_request_duration_seconds",
                    "How long it took to process the request on a router, partitioned by service, status code, protocol, and method.",
                    buckets, labels(List.of(), "router", "service"));
            routerRequestBytes = counter("traefik_router_requests_bytes_total",
                    "The total size of requests in bytes handled by a router, partitioned by service, status code, protocol, and method.",
                    labels(List.of(), "router", "service"));
            routerResponseBytes = counter("traefik_router_responses_bytes_total",
                    "The total size of responses in bytes handled by a router, partitioned by service, status code, protocol, and method.",
                    labels(List.of(), "router", "service"));
        } else {
            routerRequests = null;
            routerDuration = null;
            routerRequestBytes = null;
            routerResponseBytes = null;
        }
        if (config.addServicesLabels()) {
            serviceRequests = counter("traefik_service_requests_total",
                    "How many HTTP requests processed on a service, partitioned by status code, protocol, and method.",
                    labels(headerLabels, "service"));
            serviceDuration = histogram("traefik_service_request_duration_seconds",
                    "How long it took to process the request on a service, partitioned by status code, protocol, and method.",
                    buckets, labels(List.of(), "service"));
            serviceRequestBytes = counter("traefik_service_requests_bytes_total",
                    "The total size of requests in bytes received by a service, partitioned by status code, protocol, and method.",
                    labels(List.of(), "service"));
            serviceResponseBytes = counter("traefik_service_responses_bytes_total",
                    "The total size of responses in bytes returned by a service, partitioned by status code, protocol, and method.",
                    labels(List.of(), "service"));
            serviceRetries = Counter.builder().name("traefik_service_retries_total")
                    .help("How many request retries happened on a service.").labelNames("service").withoutExemplars()
                    .register(registry);
            GaugeWithCallback.builder().name("traefik_service_server_up")
                    .help("service server is up, described by gauge value of 0 or 1.").labelNames("service", "url")
                    .callback(cb -> {
                        for (ServiceInfo si : runtime.get().services().values()) {
                            ConfiguredServers.of(si, states).forEach((url, state) -> cb.call(state.healthy() ? 1 : 0, si.name(), url));
                        }
                    })
                    .register(registry);
        } else {
            serviceRequests = null;
            serviceDuration = null;
            serviceRequestBytes = null;
            serviceResponseBytes = null;
            serviceRetries = null;
        }
        registry.register((MultiCollector) JVM::scrape);
    }

    private static PrometheusRegistry jvmRegistry() {
        PrometheusRegistry jvm = new PrometheusRegistry();
        JvmMetrics.builder().register(jvm);
        return jvm;
    }

    private static String[] labels(List<String> extra, String... names) {
        List<String> all = new ArrayList<>(List.of(BASE));
        all.addAll(List.of(names));
        all.addAll(extra);
        return all.toArray(String[]::new);
    }

    private Counter counter(String name, String help, String[] labelNames) {
        return Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().register(registry);
    }

    private Histogram histogram(String name, String help, double[] buckets, String[] labelNames) {
        return Histogram.builder().name(name).help(help).labelNames(labelNames).classicUpperBounds(buckets).classicOnly()
                .withoutExemplars().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public StaticConfig.Prometheus config() {
        return config;
    }

    @Override
    public void log(Request request, Response response) {
        try {
            observe(request, response);
        } catch (RuntimeException e) {
            // Metrics must never disturb the exchange or the other request logs.
            LOG.warn("metrics: {}", e.toString(), e);
        }
    }

    private void observe(Request request, Response response) {
        RequestContext ctx = RequestContext.of(request);
        if (ctx == null) {
            return;
        }
        String routerService = RequestLabels.routerService(ctx, runtime.get());
        if (RequestLabels.internal(routerService) && !addInternals) {
            return;
        }
        long end = System.nanoTime();
        String code = Integer.toString(response.getStatus());
        String method = RequestLabels.method(request);
        String protocol = RequestLabels.protocol(request);
        long requestBytes = Math.max(0, Request.getContentBytesRead(request));
        long responseBytes = Math.max(0, Response.getContentBytesWritten(response));
        double seconds = (end - ctx.startNanos()) / 1e9;
        String[] headers = headerValues(request);

        if (entryPointRequests != null) {
            String[] l = {code, method, protocol, ctx.entryPoint()};
            entryPointRequests.labelValues(concat(l, headers)).inc();
            entryPointDuration.labelValues(l).observe(seconds);
            entryPointRequestBytes.labelValues(l).inc(requestBytes);
            entryPointResponseBytes.labelValues(l).inc(responseBytes);
        }
        if (routerRequests != null && ctx.routerName() != null) {
            String[] l = {code, method, protocol, ctx.routerName(), routerService == null ? "" : routerService};
            routerRequests.labelValues(concat(l, headers)).inc();
            routerDuration.labelValues(l).observe(seconds);
            routerRequestBytes.labelValues(l).inc(requestBytes);
            routerResponseBytes.labelValues(l).inc(responseBytes);
        }
        String service = ctx.serviceName() != null ? ctx.serviceName() : routerService;
        if (serviceRequests != null && service != null) {
            String[] l = {code, method, protocol, service};
            serviceRequests.labelValues(concat(l, headers)).inc();
            serviceDuration.labelValues(l).observe((end - ctx.serviceStartNanos()) / 1e9);
            serviceRequestBytes.labelValues(l).inc(requestBytes);
            serviceResponseBytes.labelValues(l).inc(responseBytes);
            if (ctx.retryAttempts() > 0) {
                serviceRetries.labelValues(service).inc(ctx.retryAttempts());
            }
        }
    }

    private String[] headerValues(Request request) {
        String[] values = new String[headerNames.size()];
        for (int i = 0; i < values.length; i++) {
            String v = request.getHeaders().get(headerNames.get(i));
            values[i] = v == null ? "" : v;
        }
        return values;
    }

    private static String[] concat(String[] a, String[] b) {
        if (b.length == 0) {
            return a;
        }
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Counts the reload as Traefik does (a successful one increments {@code traefik_config_reloads_total}
     * and stamps {@code traefik_config_last_reload_success}), and drops the series of routers and
     * services the new configuration no longer has.
     */
    public void onReload(Reload reload) {
        double epochSeconds = reload.at().toEpochMilli() / 1000.0;
        if (!reload.success()) {
            configReloadFailures.inc();
            lastReloadFailure.set(epochSeconds);
            return;
        }
        configReloads.inc();
        lastReloadSuccess.set(epochSeconds);
        RuntimeConfiguration rt = reload.runtime();
        if (routerRequests != null) {
            int router = BASE.length;
            for (var metric : List.of(routerRequests, routerRequestBytes, routerResponseBytes)) {
                metric.removeIf(values -> !rt.routers().containsKey(values.get(router)));
            }
            routerDuration.removeIf(values -> !rt.routers().containsKey(values.get(router)));
        }
        if (serviceRequests != null) {
            int service = BASE.length;
            for (var metric : List.of(serviceRequests, serviceRequestBytes, serviceResponseBytes)) {
                metric.removeIf(values -> gone(rt, values.get(service)));
            }
            serviceDuration.removeIf(values -> gone(rt, values.get(service)));
            serviceRetries.removeIf(values -> gone(rt, values.get(0)));
        }
    }

    private static boolean gone(RuntimeConfiguration rt, String service) {
        return !service.endsWith("@internal") && !rt.services().containsKey(service);
    }
}

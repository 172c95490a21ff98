package dev.switchboard.proxy.config;

import dev.switchboard.proxy.config.dynamic.ServersTransport;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Traefik's static configuration: what is fixed at start-up (entry points, providers, API, logs).
 * Built from {@code --flags} and/or a {@code --configFile}; keys are Traefik's, matched without
 * regard to case. A section that is absent is off; {@code --accesslog=true} or {@code accessLog: {}}
 * turns one on with its defaults.
 */
public record StaticConfig(
        Map<String, EntryPoint> entryPoints,
        Providers providers,
        Api api,
        Ping ping,
        Log log,
        AccessLog accessLog,
        ServersTransport serversTransport,
        Global global,
        Metrics metrics,
        Map<String, String> switchboard) {

    /** Name of the internal entry point that hosts the API, dashboard and ping. */
    public static final String TRAEFIK_ENTRY_POINT = "traefik";

    public StaticConfig {
        entryPoints = entryPoints == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(entryPoints));
        providers = providers == null ? Providers.NONE : providers;
        log = log == null ? Log.DEFAULT : log;
        serversTransport = serversTransport == null ? ServersTransport.DEFAULT : serversTransport;
        switchboard = switchboard == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(switchboard));
    }

    /**
     * Where Switchboard behaves as Traefik v3.2 and where better: the profile and the improvements
     * that are on, from the {@code switchboard} section ({@code --switchboard.profile},
     * {@code --switchboard.<improvement>}). The loader puts {@code SWITCHBOARD_PROFILE} into the
     * section when no profile is given, so this is the whole answer.
     */
    public Behaviour behaviour() {
        return Behaviour.of(switchboard, null);
    }

    /**
     * How long provider changes are gathered before they apply: {@code providersThrottleDuration}
     * when given, else Traefik's 2 s, or 100 ms with {@link Improvement#QUICK_RELOADS}.
     */
    public Duration providersThrottleDuration() {
        Duration given = providers.providersThrottleDuration();
        if (given != null) {
            return given;
        }
        return behaviour().on(Improvement.QUICK_RELOADS) ? Duration.ofMillis(100) : Duration.ofSeconds(2);
    }

    /**
     * What Traefik's {@code SetEffectiveConfiguration} adds: an {@code http} entry point on :80
     * when none is defined, and the internal {@code traefik} entry point on :8080 when the API
     * (insecure) or ping needs it.
     */
    public StaticConfig withEffectiveDefaults() {
        Map<String, EntryPoint> eps = new LinkedHashMap<>(entryPoints);
        eps.remove(TRAEFIK_ENTRY_POINT);
        if (eps.isEmpty()) {
            eps.put("http", new EntryPoint(":80", null, null, null));
        }
        EntryPoint traefik = entryPoints.get(TRAEFIK_ENTRY_POINT);
        boolean needsTraefik = (api != null && api.insecure())
                || (ping != null && !ping.manualRouting() && TRAEFIK_ENTRY_POINT.equals(ping.entryPoint()))
                || (prometheus() != null && !prometheus().manualRouting()
                        && TRAEFIK_ENTRY_POINT.equals(prometheus().entryPoint()));
        if (traefik == null && needsTraefik) {
            traefik = new EntryPoint(":8080", null, null, null);
        }
        if (traefik != null) {
            eps.put(TRAEFIK_ENTRY_POINT, traefik);
        }
        return new StaticConfig(eps, providers, api, ping, log, accessLog, serversTransport, global, metrics, switchboard);
    }

    /** The Prometheus exporter's options, or null when {@code --metrics.prometheus} is off. */
    public Prometheus prometheus() {
        return metrics == null ? null : metrics.prometheus();
    }

    /**
     * Entry points a router without {@code entryPoints} listens on: those marked
     * {@code asDefault}, or else all of them but {@code traefik} (sorted, as Traefik does).
     */
    public List<String> defaultEntryPoints() {
        boolean anyMarked = entryPoints.values().stream().anyMatch(EntryPoint::asDefault);
        Map<String, EntryPoint> sorted = new TreeMap<>(entryPoints);
        return sorted.entrySet().stream()
                .filter(e -> !anyMarked || e.getValue().asDefault())
                .map(Map.Entry::getKey)
                .filter(name -> !TRAEFIK_ENTRY_POINT.equals(name))
                .toList();
    }

    public record EntryPoint(String address, Boolean asDefault, ForwardedHeaders forwardedHeaders, Transport transport,
            EntryPointHttp http, Http2 http2) {
        public EntryPoint {
            asDefault = asDefault != null && asDefault;
            forwardedHeaders = forwardedHeaders == null ? ForwardedHeaders.DEFAULT : forwardedHeaders;
            transport = transport == null ? Transport.DEFAULT : transport;
            http = http == null ? EntryPointHttp.NONE : http;
            http2 = http2 == null ? Http2.DEFAULT : http2;
        }

        public EntryPoint(String address, Boolean asDefault, ForwardedHeaders forwardedHeaders, Transport transport) {
            this(address, asDefault, forwardedHeaders, transport, null, null);
        }
    }

    /** HTTP/2 limits of an entry point (HTTP/2 is offered over TLS); Traefik's defaults, which are Go's. */
    public record Http2(Integer maxConcurrentStreams, Integer maxDecoderHeaderTableSize, Integer maxEncoderHeaderTableSize) {
        static final Http2 DEFAULT = new Http2(null, null, null);

        public Http2 {
            maxConcurrentStreams = maxConcurrentStreams == null ? Integer.valueOf(250) : maxConcurrentStreams;
            maxDecoderHeaderTableSize = maxDecoderHeaderTableSize == null ? Integer.valueOf(4096) : maxDecoderHeaderTableSize;
            maxEncoderHeaderTableSize = maxEncoderHeaderTableSize == null ? Integer.valueOf(4096) : maxEncoderHeaderTableSize;
        }
    }

    /**
     * An entry point's {@code http} section: {@code tls} makes every router on it an HTTPS router
     * ({@code --entrypoints.websecure.http.tls=true}); {@code redirections.entryPoint} sends every
     * request to another entry point ({@code --entrypoints.web.http.redirections.entrypoint.to=websecure});
     * {@code maxHeaderBytes} bounds a request's line and headers (Traefik's default is Go's, 1 MiB,
     * and Go allows 4 KiB over it; more: 431); {@code sanitizePath} (Traefik v3.3.6) cleans dot
     * segments and double slashes out of the path before routing, null when not set.
     */
    public record EntryPointHttp(Redirections redirections, EntryPointTls tls, Integer maxHeaderBytes, Boolean sanitizePath) {
        static final EntryPointHttp NONE = new EntryPointHttp(null, null, null, null);

        public EntryPointHttp {
            maxHeaderBytes = maxHeaderBytes == null || maxHeaderBytes <= 0 ? Integer.valueOf(1 << 20) : maxHeaderBytes;
        }

        public EntryPointHttp(Redirections redirections, EntryPointTls tls) {
            this(redirections, tls, null, null);
        }

        /**
         * Whether paths are sanitised: as set, else {@code byDefault} (off as in Traefik v3.2, which has
         * no such step; on with {@link Improvement#SANITIZE_PATH}, as later Traefik versions).
         */
        public boolean sanitizesPath(boolean byDefault) {
            return sanitizePath != null ? sanitizePath : byDefault;
        }
    }

    public record Redirections(RedirectEntryPoint entryPoint) {
    }

    /** Traefik's defaults: scheme https, permanent (301/308), priority MaxInt-1 (below internal routers). */
    public record RedirectEntryPoint(String to, String scheme, Boolean permanent, Integer priority) {
        public RedirectEntryPoint {
            scheme = scheme == null || scheme.isEmpty() ? "https" : scheme;
            permanent = permanent == null || permanent;
            priority = priority == null || priority == 0 ? Integer.valueOf(Integer.MAX_VALUE - 1) : priority;
        }
    }

    /** Default TLS for the routers of an entry point; {@code certResolver} (ACME) is not supported. */
    public record EntryPointTls(String options, String certResolver, List<Map<String, Object>> domains) {
    }

    /** Which clients may set X-Forwarded-* themselves; from anyone else they are replaced. */
    public record ForwardedHeaders(Boolean insecure, List<String> trustedIPs) {
        static final ForwardedHeaders DEFAULT = new ForwardedHeaders(null, null);

        public ForwardedHeaders {
            insecure = insecure != null && insecure;
            trustedIPs = trustedIPs == null ? List.of() : List.copyOf(trustedIPs);
        }
    }

    public record Transport(RespondingTimeouts respondingTimeouts, LifeCycle lifeCycle) {
        static final Transport DEFAULT = new Transport(null, null);

        public Transport {
            respondingTimeouts = respondingTimeouts == null ? RespondingTimeouts.DEFAULT : respondingTimeouts;
            lifeCycle = lifeCycle == null ? LifeCycle.DEFAULT : lifeCycle;
        }
    }

    /**
     * Traefik v3 defaults (Go's {@code http.Server} timeouts): 60 s to read a whole request, body
     * included ({@code readTimeout}); no limit on writing the response ({@code writeTimeout}); 180 s
     * waiting for the next request on a kept-alive connection ({@code idleTimeout}). Zero: no limit.
     */
    public record RespondingTimeouts(Duration readTimeout, Duration writeTimeout, Duration idleTimeout) {
        static final RespondingTimeouts DEFAULT = new RespondingTimeouts(null, null, null);

        public RespondingTimeouts {
            readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
            writeTimeout = writeTimeout == null ? Duration.ZERO : writeTimeout;
            idleTimeout = idleTimeout == null ? Duration.ofSeconds(180) : idleTimeout;
        }
    }

    /** How long in-flight requests may finish when the proxy stops (default 10 s). */
    public record LifeCycle(Duration graceTimeOut, Duration requestAcceptGraceTimeout) {
        static final LifeCycle DEFAULT = new LifeCycle(null, null);

        public LifeCycle {
            graceTimeOut = graceTimeOut == null ? Duration.ofSeconds(10) : graceTimeOut;
            requestAcceptGraceTimeout = requestAcceptGraceTimeout == null ? Duration.ZERO : requestAcceptGraceTimeout;
        }
    }

    /**
     * Providers. {@code providersThrottleDuration}: how long changes are gathered before they
     * apply; null when not given ({@link StaticConfig#providersThrottleDuration()} has the default:
     * Traefik's 2 s, or 100 ms with the {@code quickReloads} improvement).
     */
    public record Providers(Duration providersThrottleDuration, FileProvider file, DockerProvider docker) {
        static final Providers NONE = new Providers(null, null, null);
    }

    /** The file provider: one {@code filename} or every file of a {@code directory}; watched by default. */
    public record FileProvider(String filename, String directory, Boolean watch) {
        public FileProvider {
            watch = watch == null || watch;
        }
    }

    /**
     * The Docker provider ({@code --providers.docker}): routers, services and middlewares from
     * container labels. Traefik's option names and defaults: {@code endpoint}
     * {@code unix:///var/run/docker.sock} (or {@code tcp://host:port}), {@code exposedByDefault} true,
     * {@code defaultRule} {@code Host(`{{ normalize .Name }}`)}, {@code watch} true. Documented in
     * docs/reference/docker-provider.md.
     */
    public record DockerProvider(
            String endpoint,
            Boolean exposedByDefault,
            String defaultRule,
            String network,
            String constraints,
            Boolean watch,
            Boolean allowEmptyServices,
            Boolean useBindPortIP,
            String username,
            String password,
            Duration httpClientTimeout) {

        public static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
        public static final String DEFAULT_RULE = "Host(`{{ normalize .Name }}`)";

        public DockerProvider {
            endpoint = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.trim();
            exposedByDefault = exposedByDefault == null || exposedByDefault;
            // Given empty (--providers.docker.defaultRule=), it stays empty: Traefik then makes no router from it.
            defaultRule = defaultRule == null ? DEFAULT_RULE : defaultRule;
            watch = watch == null || watch;
            allowEmptyServices = allowEmptyServices != null && allowEmptyServices;
            useBindPortIP = useBindPortIP != null && useBindPortIP;
            httpClientTimeout = httpClientTimeout == null ? Duration.ZERO : httpClientTimeout;
        }
    }

    /** The API and dashboard. {@code insecure} serves them on the {@code traefik} entry point (:8080). */
    public record Api(Boolean insecure, Boolean dashboard, Boolean debug, String basePath) {
        public Api {
            insecure = insecure != null && insecure;
            dashboard = dashboard == null || dashboard;
            debug = debug != null && debug;
            basePath = basePath == null ? "/" : basePath;
        }
    }

    /** {@code /ping}: 200 "OK" while running, {@code terminatingStatusCode} (503) while stopping. */
    public record Ping(String entryPoint, Boolean manualRouting, Integer terminatingStatusCode) {
        public Ping {
            entryPoint = entryPoint == null ? TRAEFIK_ENTRY_POINT : entryPoint;
            manualRouting = manualRouting != null && manualRouting;
            terminatingStatusCode = terminatingStatusCode == null ? Integer.valueOf(503) : terminatingStatusCode;
        }
    }

    /**
     * Application log. Levels as Traefik (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, PANIC). Traefik
     * defaults to ERROR; Switchboard to INFO, so that students see the warnings meant for them.
     */
    public record Log(String level, String format, String filePath, Boolean noColor) {
        static final Log DEFAULT = new Log(null, null, null, null);

        public Log {
            level = level == null ? "INFO" : level;
            format = format == null ? "common" : format;
        }
    }

    /** Access log, to {@code filePath} or stdout, in Traefik's {@code common} or {@code json} format. */
    public record AccessLog(String filePath, String format, Integer bufferingSize, AccessLogFilters filters) {
        public AccessLog {
            format = format == null ? "common" : format;
        }
    }

    /** Keep only entries with these status codes ("404", "500-599"), retries, or at least this duration. */
    public record AccessLogFilters(List<String> statusCodes, Boolean retryAttempts, Duration minDuration) {
        public AccessLogFilters {
            statusCodes = statusCodes == null ? List.of() : List.copyOf(statusCodes);
            retryAttempts = retryAttempts != null && retryAttempts;
            minDuration = minDuration == null ? Duration.ZERO : minDuration;
        }
    }

    /**
     * Metrics. Only Prometheus is built; {@code addInternals} also counts requests to the proxy's
     * own services (API, dashboard, ping, metrics), which Traefik leaves out by default.
     */
    public record Metrics(Boolean addInternals, Prometheus prometheus) {
        public Metrics {
            addInternals = addInternals != null && addInternals;
        }
    }

    /**
     * {@code --metrics.prometheus}: {@code /metrics} on {@code entryPoint} (default {@code traefik}),
     * unless {@code manualRouting} asks for a router to {@code prometheus@internal}. Traefik's
     * defaults: buckets 0.1, 0.3, 1.2, 5 seconds; entry point and service labels on, router labels
     * off. {@code headerLabels} adds a label per entry (label name to request header) to the
     * {@code *_requests_total} counters.
     */
    public record Prometheus(
            List<Double> buckets,
            Boolean addEntryPointsLabels,
            Boolean addRoutersLabels,
            Boolean addServicesLabels,
            String entryPoint,
            Boolean manualRouting,
            Map<String, String> headerLabels) {

        public Prometheus {
            buckets = buckets == null || buckets.isEmpty() ? List.of(0.1, 0.3, 1.2, 5.0) : List.copyOf(buckets);
            addEntryPointsLabels = addEntryPointsLabels == null || addEntryPointsLabels;
            addRoutersLabels = addRoutersLabels != null && addRoutersLabels;
            addServicesLabels = addServicesLabels == null || addServicesLabels;
            entryPoint = entryPoint == null || entryPoint.isBlank() ? TRAEFIK_ENTRY_POINT : entryPoint;
            manualRouting = manualRouting != null && manualRouting;
            headerLabels = headerLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headerLabels));
        }
    }

    /** Traefik's telemetry switches; Switchboard never calls home, so both are accepted and have no effect. */
    public record Global(Boolean checkNewVersion, Boolean sendAnonymousUsage) {
    }
}

package dev.switchboard.proxy.health;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Durations;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.upstream.Failures;
import dev.switchboard.proxy.upstream.ServerDownException;
import dev.switchboard.proxy.upstream.ServerHealth;
import dev.switchboard.proxy.upstream.ServerState;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traefik's active health check ({@code loadBalancer.healthCheck}) for the servers of one service:
 * every {@code interval} (every {@code unhealthyInterval} while a server is down, Traefik v3.5) it
 * sends {@code method path} to each server, with {@code scheme}, {@code port}, {@code hostname} and
 * {@code headers} if given, and waits at most {@code timeout}. The probe passes on the expected
 * {@code status}, or on any 2xx/3xx without one (redirects followed unless
 * {@code followRedirects: false}). One failed probe takes a server down, one passed probe brings it
 * back, as in Traefik; Switchboard adds {@code unhealthyThreshold} and {@code healthyThreshold}: how
 * many probes in a row change a server's state.
 *
 * <p>As in Traefik v3.2, a configuration's checker probes first one {@code interval} after it
 * starts, and every server starts UP (the service builder resets their health at each
 * configuration change). With {@code steadyHealthChecks} (Switchboard only) a server is probed at
 * once, and the cadence and health survive reloads: a new checker probes a kept server when its
 * previous probe is {@code interval} old.
 *
 * <p>Probes run on the forwarder's probe client ({@code Forwarder.probeClient()}) and its
 * scheduler; nothing blocks a thread while a probe waits. Closing the checker (when its
 * configuration is replaced) cancels its timers and ignores answers still in flight. When a probe
 * finds a server down, requests waiting for its answer are told ({@link ServerState#abandonWaiting});
 * those that will be tried again elsewhere ({@code rescueWaiting}) give up.
 */
public final class ActiveHealthCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthCheck.class);

    /** A validated health check configuration. */
    public record Settings(String method, String path, String scheme, Integer port, String hostname,
            Map<String, String> headers, Integer status, Duration interval, Duration unhealthyInterval,
            Duration timeout, boolean followRedirects, int unhealthyThreshold, int healthyThreshold) {

        /**
         * Validates {@code config}: unsupported or malformed values are {@link ConfigException}s;
         * non-positive durations fall back to Traefik's defaults with a warning, as Traefik does.
         */
        public static Settings of(Service.HealthCheck config, Consumer<String> warn) {
            String mode = config.mode().trim().toLowerCase(Locale.ROOT);
            if (mode.equals("grpc")) {
                throw new ConfigException("healthCheck mode grpc is not supported: Switchboard checks over HTTP (remove mode)");
            }
            if (!mode.equals("http")) {
                throw new ConfigException("healthCheck mode \"" + config.mode() + "\" is unknown: use http");
            }
            Duration interval = positive(config.interval(), Duration.ofSeconds(30), "interval", warn);
            Duration unhealthy = config.unhealthyInterval() == null ? interval
                    : positive(config.unhealthyInterval(), Duration.ofSeconds(30), "unhealthyInterval", warn);
            Duration timeout = positive(config.timeout(), Duration.ofSeconds(5), "timeout", warn);
            String path = config.path() == null ? "" : config.path().trim();
            try {
                URI p = new URI(path);
                if (p.getScheme() != null || p.getRawAuthority() != null) {
                    throw new ConfigException("healthCheck path must be a path such as /health, not a URL: \"" + path
                            + "\" (use scheme, hostname and port to change where probes go)");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException("healthCheck path \"" + path + "\" is not a valid path: " + e.getReason());
            }
            String scheme = config.scheme() == null || config.scheme().isBlank() ? null
                    : config.scheme().trim().toLowerCase(Locale.ROOT);
            if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
                throw new ConfigException("healthCheck scheme \"" + config.scheme() + "\" must be http or https");
            }
            Integer port = config.port() == null || config.port() == 0 ? null : config.port();
            if (port != null && (port < 1 || port > 65535)) {
                throw new ConfigException("healthCheck port " + port + " is not a port number (1-65535)");
            }
            Integer status = config.status() == null || config.status() == 0 ? null : config.status();
            if (status != null && (status < 100 || status > 599)) {
                throw new ConfigException("healthCheck status " + status + " is not an HTTP status (100-599)");
            }
            if (config.unhealthyThreshold() < 1 || config.healthyThreshold() < 1) {
                throw new ConfigException("healthCheck unhealthyThreshold and healthyThreshold must be at least 1");
            }
            String method = config.method() == null || config.method().isBlank() ? "GET"
                    : config.method().trim().toUpperCase(Locale.ROOT);
            String hostname = config.hostname() == null || config.hostname().isBlank() ? null : config.hostname().trim();
            return new Settings(method, path, scheme, port, hostname, config.headers(), status, interval, unhealthy,
                    timeout, config.followRedirects(), config.unhealthyThreshold(), config.healthyThreshold());
        }

        private static Duration positive(Duration d, Duration fallback, String name, Consumer<String> warn) {
            if (d == null) {
                return fallback;
            }
            if (d.isNegative() || d.isZero()) {
                warn.accept("healthCheck " + name + " must be positive, " + Durations.format(fallback) + " is used");
                return fallback;
            }
            return d;
        }

        /** Where a probe of the server at {@code base} goes. */
        URI target(URI base) {
            try {
                URI root = base.getRawPath() == null || base.getRawPath().isEmpty()
                        ? new URI(base.getScheme(), base.getRawAuthority(), "/", null, null) : base;
                URI u = path.isEmpty() ? base : root.resolve(new URI(null, null, pathOnly(), query(), null));
                String s = scheme == null ? u.getScheme() : scheme;
                int p = port == null ? u.getPort() : port;
                return new URI(s, null, u.getHost(), p, u.getPath(), u.getQuery(), null);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private String pathOnly() {
            int q = path.indexOf('?');
            return q < 0 ? path : path.substring(0, q);
        }

        private String query() {
            int q = path.indexOf('?');
            return q < 0 ? null : path.substring(q + 1);
        }
    }

    private final String service;
    private final Settings settings;
    private final Map<ServerState, URI> targets;
    private final HttpClient client;
    private final boolean steady;
    private final Map<ServerState, Scheduler.Task> timers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param steady the {@code steadyHealthChecks} improvement: probe at once, and continue the
     *               cadence of the previous configuration's checker
     */
    public ActiveHealthCheck(String service, Settings settings, Map<ServerState, URI> targets, HttpClient client,
            boolean steady) {
        this.service = service;
        this.settings = settings;
        this.targets = Map.copyOf(targets);
        this.client = client;
        this.steady = steady;
    }

    /**
     * Starts probing. As Traefik v3.2 does: the first probe one {@code interval} from now (Traefik's
     * ticker), whatever was probed before. With {@code steady}: a server never probed at once, a
     * server probed before when its next probe is due.
     */
    public void start() {
        long now = System.nanoTime();
        for (ServerState server : targets.keySet()) {
            long last = server.health().lastProbeNanos();
            long delay = steady ? 0 : settings.interval().toNanos();
            if (steady && last != Long.MIN_VALUE) {
                long interval = intervalFor(server).toNanos();
                delay = Math.max(0, last + interval - now);
            }
            schedule(server, delay);
        }
    }

    private Duration intervalFor(ServerState server) {
        return server.healthy() ? settings.interval() : settings.unhealthyInterval();
    }

    private void schedule(ServerState server, long delayNanos) {
        if (closed) {
            return;
        }
        timers.put(server, client.getScheduler().schedule(() -> probe(server), delayNanos, TimeUnit.NANOSECONDS));
    }

    private void probe(ServerState server) {
        if (closed) {
            return;
        }
        URI target = settings.target(targets.get(server));
        Request probe;
        try {
            probe = client.newRequest(target)
                    .method(settings.method())
                    .followRedirects(settings.followRedirects())
                    .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            finish(server, false, "cannot build the probe for " + target + ": " + e.getMessage());
            return;
        }
        probe.headers(h -> {
            if (settings.hostname() != null) {
                h.put(HttpHeader.HOST, settings.hostname());
            }
            settings.headers().forEach(h::put);
        });
        probe.send(result -> onResult(server, result));
    }

    private void onResult(ServerState server, Result result) {
        if (closed || !client.isRunning()) {
            return; // replaced, or the proxy is stopping: the failure says nothing about the server
        }
        if (result.isFailed()) {
            Throwable failure = result.getFailure();
            String error = Failures.isTimeout(failure) && !Failures.neverConnected(failure)
                    ? "no answer within " + Durations.format(settings.timeout()) : Failures.describe(failure);
            finish(server, false, error);
            return;
        }
        int code = result.getResponse().getStatus();
        boolean ok = settings.status() == null ? code >= 200 && code < 400 : code == settings.status();
        finish(server, ok, ok ? null : settings.status() == null ? "health check answered HTTP " + code
                : "health check answered HTTP " + code + ", expected " + settings.status());
    }

    private void finish(ServerState server, boolean ok, String error) {
        ServerHealth.Transition t = server.health().recordProbe(ok, error, settings.unhealthyThreshold(), settings.healthyThreshold());
        if (t == ServerHealth.Transition.DOWN) {
            LOG.warn("server {} of service {} is down: {}", server.url(), service, error);
            int resent = server.abandonWaiting(new ServerDownException(
                    "server " + server.url() + " was found down by its health check: " + error));
            if (resent > 0) {
                LOG.info("service {}: {} requests waiting for {} are sent to other servers", service, resent, server.url());
            }
        } else if (t == ServerHealth.Transition.UP) {
            LOG.info("server {} of service {} is up again", server.url(), service);
        } else if (!ok && LOG.isDebugEnabled()) {
            LOG.debug("server {} of service {}: health check failed: {}", server.url(), service, error);
        }
        schedule(server, intervalFor(server).toNanos());
    }

    /** The servers this check probes. */
    public List<ServerState> servers() {
        return new ArrayList<>(targets.keySet());
    }

    @Override
    public void close() {
        closed = true;
        timers.values().forEach(Scheduler.Task::cancel);
        timers.clear();
    }
}

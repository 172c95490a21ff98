package dev.switchboard.proxy.health;

import dev.switchboard.proxy.config.Durations;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.upstream.Failures;
import dev.switchboard.proxy.upstream.ServerHealth;
import dev.switchboard.proxy.upstream.ServerState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health from traffic: what requests to a server tell about it. One per loadBalancer service.
 *
 * <ul>
 * <li>A connection that cannot be established (refused, unreachable, connect timeout) takes the
 * server out <em>at once</em>, configured or not: nothing is listening there. Traefik only reacts to
 * this with {@code passiveHealthCheck}, and only after {@code maxFailedAttempts}.</li>
 * <li>With {@code passiveHealthCheck}, as in Traefik, other failures count too: 5xx answers and
 * exchanges that broke before an answer; {@code maxFailedAttempts} of them within
 * {@code failureWindow} take the server out. Any answer below 500 resets the count.</li>
 * <li>Out for how long: for {@code failureWindow} (default 10 s) when the service has no active
 * health check; with one, until the active check next finds the server healthy (Traefik's rule:
 * the active check owns recovery).</li>
 * <li>A request that reaches the server while it is out (the balancer tries passively-down servers
 * as a last resort when nothing else is available) and gets an answer brings it back at once.</li>
 * </ul>
 */
public final class PassiveHealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PassiveHealthCheck.class);
    /** Traefik's default failure window, also used for the always-on reaction to refused connections. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private final String service;
    private final boolean configured;
    private final int maxFailedAttempts;
    private final long windowNanos;
    private final boolean untilActiveCheck;
    private final String outFor;

    private PassiveHealthCheck(String service, boolean configured, int maxFailedAttempts, Duration window,
            boolean untilActiveCheck) {
        this.service = service;
        this.configured = configured;
        this.maxFailedAttempts = Math.max(1, maxFailedAttempts);
        this.windowNanos = window.toNanos();
        this.untilActiveCheck = untilActiveCheck;
        this.outFor = untilActiveCheck ? "out until the health check passes" : "out for " + Durations.format(window);
    }

    /**
     * The passive check of {@code service}: {@code config} may be null (only refused connections
     * count); {@code activeCheck} tells whether an active check owns recovery.
     */
    public static PassiveHealthCheck of(String service, Service.PassiveHealthCheck config, boolean activeCheck) {
        if (config == null) {
            return new PassiveHealthCheck(service, false, 1, DEFAULT_WINDOW, activeCheck);
        }
        Duration window = config.failureWindow().isNegative() || config.failureWindow().isZero()
                ? DEFAULT_WINDOW : config.failureWindow();
        return new PassiveHealthCheck(service, true, config.maxFailedAttempts(), window, activeCheck);
    }

    /** The failure window, which is also how long an unconfigured trip lasts. */
    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /** An attempt to {@code server} failed before an answer came back. */
    public void failed(ServerState server, Throwable failure) {
        if (Failures.neverConnected(failure)) {
            trip(server, Failures.describe(failure));
        } else if (configured) {
            count(server, Failures.describe(failure));
        }
    }

    /** {@code server} answered {@code status}. */
    public void answered(ServerState server, int status) {
        if (configured && status >= 500) {
            count(server, "HTTP " + status);
            return;
        }
        if (server.health().recordPassiveSuccess() == ServerHealth.Transition.UP) {
            LOG.info("server {} of service {} answers again and is back in rotation", server.url(), service);
        }
    }

    private void count(ServerState server, String error) {
        int failures = server.health().recordPassiveFailure(System.nanoTime(), windowNanos);
        if (failures >= maxFailedAttempts) {
            String why = maxFailedAttempts == 1 ? error
                    : error + " (" + failures + " failures within " + Durations.format(window()) + ")";
            trip(server, why);
        }
    }

    private void trip(ServerState server, String error) {
        if (server.health().tripPassive(windowNanos, untilActiveCheck, error) == ServerHealth.Transition.DOWN) {
            LOG.warn("server {} of service {} is down: {} (passive check: {})", server.url(), service, error, outFor);
        }
    }
}

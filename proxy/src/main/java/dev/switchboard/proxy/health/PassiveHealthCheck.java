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
 * <li>With {@code passiveHealthCheck} (Traefik v3.6), failures count: connections that could not be
 * made, exchanges that broke before an answer, and 5xx answers; {@code maxFailedAttempts} of them
 * within {@code failureWindow} take the server out. Any answer below 500 resets the count.</li>
 * <li>With Switchboard's {@code passiveRefused}, a connection that cannot be established (refused,
 * unreachable, connect timeout) takes the server out <em>at once</em>, configured or not: nothing is
 * listening there; and a request that reaches a server while it is out (the balancer tries such
 * servers as a last resort) and gets an answer brings it back at once.</li>
 * <li>Out for how long: for {@code failureWindow} (default 10 s) when the service has no active
 * health check; with one, until the active check next finds the server healthy (Traefik's rule:
 * the active check owns recovery).</li>
 * </ul>
 * Without either, as in Traefik v3.2, traffic says nothing about health.
 */
public final class PassiveHealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(PassiveHealthCheck.class);
    /** Traefik's default failure window, also used for the always-on reaction to refused connections. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private final String service;
    private final boolean configured;
    private final boolean refusedTrips;
    private final int maxFailedAttempts;
    private final long windowNanos;
    private final boolean untilActiveCheck;
    private final String outFor;

    private PassiveHealthCheck(String service, boolean configured, int maxFailedAttempts, Duration window,
            boolean untilActiveCheck, boolean refusedTrips) {
        this.service = service;
        this.configured = configured;
        this.refusedTrips = refusedTrips;
        this.maxFailedAttempts = Math.max(1, maxFailedAttempts);
        this.windowNanos = window.toNanos();
        this.untilActiveCheck = untilActiveCheck;
        this.outFor = untilActiveCheck ? "out until the health check passes" : "out for " + Durations.format(window);
    }

    /**
     * The passive check of {@code service}: {@code config} may be null; {@code activeCheck} tells
     * whether an active check owns recovery; {@code refusedTrips} is the {@code passiveRefused}
     * improvement.
     */
    public static PassiveHealthCheck of(String service, Service.PassiveHealthCheck config, boolean activeCheck,
            boolean refusedTrips) {
        if (config == null) {
            return new PassiveHealthCheck(service, false, 1, DEFAULT_WINDOW, activeCheck, refusedTrips);
        }
        Duration window = config.failureWindow().isNegative() || config.failureWindow().isZero()
                ? DEFAULT_WINDOW : config.failureWindow();
        return new PassiveHealthCheck(service, true, config.maxFailedAttempts(), window, activeCheck, refusedTrips);
    }

    /** The failure window, which is also how long an unconfigured trip lasts. */
    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /** An attempt to {@code server} failed before an answer came back. */
    public void failed(ServerState server, Throwable failure) {
        if (refusedTrips && Failures.neverConnected(failure)) {
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
        if (server.health().recordPassiveSuccess(refusedTrips) == ServerHealth.Transition.UP) {
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

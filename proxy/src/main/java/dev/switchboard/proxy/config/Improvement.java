package dev.switchboard.proxy.config;

import java.util.Locale;

/**
 * One way Switchboard behaves better than Traefik v3.2, behind its own switch. Every improvement
 * is off under the {@code traefik} profile (the default: the proxy then behaves as Traefik v3.2
 * does) and on under the {@code switchboard} profile; {@code --switchboard.<option>=true|false}
 * turns one on or off whatever the profile. {@link Behaviour} resolves which are on.
 *
 * <p>A new improvement: a constant here (its option name, what it does, where it comes from), the
 * code that asks {@code staticConfig.behaviour().on(Improvement.X)} where the behaviour differs, a
 * test per profile named after the Traefik behaviour it departs from, and a row in
 * docs/reference/profile.md ({@code ProfileDocsTest} checks that every improvement has one).
 */
public enum Improvement {

    /**
     * Without the retry middleware, a request is sent once more, to another server, when its server
     * refused the connection (or could not be reached), or when an idempotent request without a body
     * lost its connection before any answer. Traefik v3.2 answers 502.
     */
    AUTO_RETRY("autoRetry", "re-send a request once to another server, without the retry middleware, when its "
            + "server refused the connection or an idempotent request lost its connection before any answer"),

    /**
     * The retry middleware also retries an idempotent request (or one whose body it buffered) whose
     * connection broke after it was sent, before any answer, and each retry prefers a server the
     * request has not tried yet. Traefik retries only requests that never reached a server, on
     * whichever server its balancer picks next.
     */
    SMART_RETRY("smartRetry", "the retry middleware also retries idempotent requests that broke after they were "
            + "sent, and prefers servers the request has not tried"),

    /**
     * A refused connection takes the server out of rotation at once (for 10 s, or until the active
     * health check passes), without {@code passiveHealthCheck}; a server that is out only for that
     * reason is still tried when no other server is available, and an answer brings it back at once.
     * Traefik v3.2 has no passive health check (v3.6 adds {@code passiveHealthCheck}).
     */
    PASSIVE_REFUSED("passiveRefused", "a refused connection takes the server out at once, without "
            + "passiveHealthCheck; it is still tried when no other server is available"),

    /**
     * When the active health check finds a server down, requests still waiting for its answer that
     * can safely be repeated (idempotent, no body or a buffered one) give up and go to another
     * server. In Traefik they wait for their own timeout.
     */
    RESCUE_WAITING("rescueWaiting", "requests waiting on a server the health check finds down are sent to "
            + "another server"),

    /**
     * The active health check probes a server at once (Traefik waits one {@code interval}), and a
     * reload that keeps a server keeps its health and probe cadence (Traefik starts every server UP
     * again after each configuration change and waits another interval).
     */
    STEADY_HEALTH_CHECKS("steadyHealthChecks", "the first probe runs at once, and a reload keeps each server's "
            + "health and probe cadence"),

    /**
     * Weighted and failover services follow their children's health without {@code healthCheck: {}}
     * (passive health included), and a failover whose main and fallback services are both down tries
     * the main one. Traefik v3.2 needs {@code healthCheck: {}} on the parent and an active health
     * check on the children (it refuses a failover whose main service has none), and answers 503 when
     * both are down.
     */
    IMPLICIT_PARENT_HEALTH("implicitParentHealth", "weighted and failover services follow their children's "
            + "health without healthCheck: {} on the parent or active checks on the children"),

    /**
     * {@code providersThrottleDuration} defaults to 100 ms instead of Traefik's 2 s, so a change is
     * seen at once while bursts are still applied together.
     */
    QUICK_RELOADS("quickReloads", "providersThrottleDuration defaults to 100 ms instead of Traefik's 2 s"),

    /**
     * The Docker provider takes a container out of rotation on its {@code kill}, {@code stop} or
     * {@code pause} event at once, and leaves a paused container out. Traefik v3.2 re-reads the
     * containers only on {@code start}, {@code die} and {@code health_status} events, so a stopping
     * container is a server until its {@code die}, and a paused one stays a server.
     */
    DOCKER_EVENTS_AT_ONCE("dockerEventsAtOnce", "a container is out of rotation on its kill, stop or pause event at "
            + "once, a paused one too"),

    /**
     * Entry points without their own {@code http.sanitizePath} clean {@code /./}, {@code /../} and
     * repeated slashes out of the path before routing, as Traefik does by default from v3.3.6 and
     * v2.11.23 (CVE-2025-32431). Traefik v3.2 routes on the path as sent.
     */
    SANITIZE_PATH("sanitizePath", "entry points clean dot segments and repeated slashes out of paths before routing, "
            + "unless their http.sanitizePath says otherwise");

    private final String option;
    private final String summary;

    Improvement(String option, String summary) {
        this.option = option;
        this.summary = summary;
    }

    /** The option name under {@code switchboard}: {@code --switchboard.<option>=true}. */
    public String option() {
        return option;
    }

    /** What it does, in a line (start-up log, API, docs). */
    public String summary() {
        return summary;
    }

    /** The improvement named {@code option} (any case), or null. */
    public static Improvement byOption(String option) {
        for (Improvement i : values()) {
            if (i.option.toLowerCase(Locale.ROOT).equals(option.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return null;
    }
}

package dev.switchboard.proxy.upstream;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The health of one server, written by the health checks ({@code dev.switchboard.proxy.health})
 * and read per request by the balancer. It belongs to the server's identity, so a reload that
 * keeps the server keeps its health. All writes hold this object's lock; reads are lock-free.
 *
 * <p>Health has two sources, combined as follows (see docs/reference/load-balancing.md):
 * <ul>
 * <li>the <b>active</b> check ({@code healthCheck}) sets the server UP or DOWN after
 * {@code healthyThreshold} / {@code unhealthyThreshold} consecutive probes; without an active check
 * the server is always actively UP;</li>
 * <li>the <b>passive</b> check (traffic: failures counted by {@code passiveHealthCheck}, and refused
 * connections when that improvement is on) takes the server out for a while: until a time, or,
 * when there is an active check, until the active check next finds it healthy.</li>
 * </ul>
 * The server is {@link #healthy()} when actively UP and not passively down.
 */
public final class ServerHealth {
    /** Traefik's server status values, as its API shows them. */
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    /** {@link #passiveDownUntil} value meaning "until the active check finds the server healthy". */
    private static final long UNTIL_ACTIVE_CHECK = Long.MAX_VALUE;

    private volatile boolean activeUp = true;
    private volatile long passiveDownUntil;
    private int consecutiveProbeFailures;
    private int consecutiveProbeSuccesses;
    private final ArrayDeque<Long> recentFailures = new ArrayDeque<>();
    private volatile boolean recentFailuresCounted;
    private volatile long lastProbeNanos = Long.MIN_VALUE;
    private volatile Instant lastCheck;
    private volatile String lastError;
    private volatile Instant statusSince = Instant.now();

    /** What a probe or a failure did to the server's health. */
    public enum Transition {
        NONE, DOWN, UP
    }

    // ---- read side (per request, and the API) ----

    /** Actively UP (or not actively checked) and not taken out by the passive check. */
    public boolean healthy() {
        return activeUp && !passivelyDown();
    }

    /** Whether the active health check finds the server UP (always true without an active check). */
    public boolean activelyUp() {
        return activeUp;
    }

    /** Whether traffic (the passive check) has taken the server out for now. */
    public boolean passivelyDown() {
        long until = passiveDownUntil;
        return until != 0 && (until == UNTIL_ACTIVE_CHECK || System.nanoTime() - until < 0);
    }

    /** {@code UP} or {@code DOWN}, as Traefik's API shows a server's status. */
    public String status() {
        return healthy() ? UP : DOWN;
    }

    /** Why the server is down: {@code "health check"}, {@code "passive"}, or null when it is up. */
    public String downReason() {
        if (!activeUp) {
            return "health check";
        }
        return passivelyDown() ? "passive" : null;
    }

    /** When the last active probe completed, or null if none did. */
    public Instant lastCheck() {
        return lastCheck;
    }

    /** The last error the active or passive check saw (kept after recovery), or null. */
    public String lastError() {
        return lastError;
    }

    /** When the server last went from UP to DOWN or back (or when its state was created). */
    public Instant statusSince() {
        return statusSince;
    }

    /**
     * When the last active probe of this server completed ({@link System#nanoTime}), so a new
     * checker after a reload keeps the cadence; {@link Long#MIN_VALUE} if never.
     */
    public long lastProbeNanos() {
        return lastProbeNanos;
    }

    // ---- write side (dev.switchboard.proxy.health) ----

    /**
     * Records an active probe; the server goes DOWN after {@code unhealthyThreshold} consecutive
     * failures and UP after {@code healthyThreshold} consecutive successes. A success also ends a
     * passive trip that waits for the active check.
     */
    public synchronized Transition recordProbe(boolean success, String error, int unhealthyThreshold,
            int healthyThreshold) {
        boolean wasHealthy = healthy();
        lastCheck = Instant.now();
        lastProbeNanos = System.nanoTime();
        if (success) {
            consecutiveProbeFailures = 0;
            consecutiveProbeSuccesses++;
            if (!activeUp && consecutiveProbeSuccesses >= healthyThreshold) {
                activeUp = true;
            }
            if (activeUp && passiveDownUntil == UNTIL_ACTIVE_CHECK) {
                passiveDownUntil = 0;
                recentFailures.clear();
                recentFailuresCounted = false;
            }
        } else {
            lastError = error;
            consecutiveProbeSuccesses = 0;
            consecutiveProbeFailures++;
            if (activeUp && consecutiveProbeFailures >= unhealthyThreshold) {
                activeUp = false;
            }
        }
        return transition(wasHealthy);
    }

    /**
     * A new configuration starts the server afresh, as Traefik builds new balancers at every
     * configuration change: actively UP, not passively down, nothing counted. The last error and
     * check stay, for the API.
     */
    public synchronized void reset() {
        boolean wasHealthy = healthy();
        activeUp = true;
        passiveDownUntil = 0;
        consecutiveProbeFailures = 0;
        consecutiveProbeSuccesses = 0;
        recentFailures.clear();
        recentFailuresCounted = false;
        transition(wasHealthy);
    }

    /** No active check any more: the server is actively UP, and passive trips end by time. */
    public synchronized void resetActive(long passiveWindowNanos) {
        activeUp = true;
        consecutiveProbeFailures = 0;
        consecutiveProbeSuccesses = 0;
        if (passiveDownUntil == UNTIL_ACTIVE_CHECK) {
            passiveDownUntil = System.nanoTime() + passiveWindowNanos;
        }
    }

    /**
     * Takes the server out because of traffic, for {@code windowNanos}, or until the active check
     * finds it healthy when {@code untilActiveCheck}. Returns the transition.
     */
    public synchronized Transition tripPassive(long windowNanos, boolean untilActiveCheck, String error) {
        boolean wasHealthy = healthy();
        lastError = error;
        passiveDownUntil = untilActiveCheck ? UNTIL_ACTIVE_CHECK : Math.max(1, System.nanoTime() + windowNanos);
        return transition(wasHealthy);
    }

    /**
     * Counts a failed exchange at {@code nowNanos} and returns how many failed within the last
     * {@code windowNanos}.
     */
    public synchronized int recordPassiveFailure(long nowNanos, long windowNanos) {
        recentFailures.addLast(nowNanos);
        recentFailuresCounted = true;
        while (!recentFailures.isEmpty() && nowNanos - recentFailures.peekFirst() > windowNanos) {
            recentFailures.removeFirst();
        }
        return recentFailures.size();
    }

    /**
     * A request to the server succeeded: forget counted failures and, with {@code endTrip}, end a
     * passive trip (the server answers, whatever the trip waited for). Returns UP if that made the
     * server healthy again.
     */
    public Transition recordPassiveSuccess(boolean endTrip) {
        if ((passiveDownUntil == 0 || !endTrip) && !recentFailuresCounted) {
            return Transition.NONE; // the common case, without taking the lock
        }
        synchronized (this) {
            boolean wasHealthy = healthy();
            recentFailures.clear();
            recentFailuresCounted = false;
            if (endTrip) {
                passiveDownUntil = 0;
            }
            return transition(wasHealthy);
        }
    }

    private Transition transition(boolean wasHealthy) {
        boolean now = healthy();
        if (now == wasHealthy) {
            return Transition.NONE;
        }
        statusSince = Instant.now();
        return now ? Transition.UP : Transition.DOWN;
    }
}

package dev.switchboard.proxy.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runtime state of one server of one service (or of one child of a {@code weighted} service):
 * health, requests in flight, counters, response times, the balancer's running weight. It belongs
 * to the server's identity (service name and URL), not to a configuration, so a reload that keeps
 * the server keeps its state.
 *
 * <p>Health has two sources, combined as follows (see docs/reference/load-balancing.md):
 * <ul>
 * <li>the <b>active</b> check ({@code healthCheck}) sets the server UP or DOWN after
 * {@code healthyThreshold} / {@code unhealthyThreshold} consecutive probes; without an active check
 * the server is always actively UP;</li>
 * <li>the <b>passive</b> check (traffic: refused connections, and with {@code passiveHealthCheck}
 * also 5xx answers and broken exchanges) takes the server out for a while: until a time, or, when
 * there is an active check, until the active check next finds it healthy.</li>
 * </ul>
 * The server is {@link #healthy()} when actively UP and not passively down. A server that is only
 * passively down is still tried as a last resort when nothing else is available
 * ({@link #lastResort()}), so a restarted single server is back at once.
 */
public final class ServerState {
    /** Traefik's server status values, as its API shows them. */
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    private static final int SAMPLES = 100;
    private static final long HALF_LIFE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** {@link #passiveDownUntil} value meaning "until the active check finds the server healthy". */
    static final long UNTIL_ACTIVE_CHECK = Long.MAX_VALUE;

    private final String service;
    private final String url;
    private volatile int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final java.util.Set<InFlight> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Smooth weighted round robin's running weight; guarded by the selector that uses it. */
    private long currentWeight;
    /** The weight {@link #currentWeight} was earned with: a reload that changes it restarts the rotation. */
    private volatile int rotationWeight;

    // Response times (time to response headers), guarded by samples.
    private final long[] samples = new long[SAMPLES];
    private int sampleIndex;
    private int sampleCount;
    private long sampleSum;
    private volatile double averageNanos;
    private volatile long lastSampleNanos;

    // Health.
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

    ServerState(String service, String url, int weight) {
        this.service = service;
        this.url = url;
        this.weight = weight;
        this.rotationWeight = weight;
    }

    /** The qualified name of the service this server belongs to. */
    public String service() {
        return service;
    }

    /** The server's URL (normalised: with its port), or the child service's name in a weighted service. */
    public String url() {
        return url;
    }

    public int weight() {
        return weight;
    }

    void weight(int newWeight) {
        this.weight = newWeight;
    }

    // ---- health, read side (used per request, and by the API) ----

    /** Whether the server may get new requests: healthy and not weighted out. */
    public boolean available() {
        return weight > 0 && healthy();
    }

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

    /**
     * Whether the server may be tried when no server is {@link #available()}: weighted in, actively
     * UP, and only passively down.
     */
    public boolean lastResort() {
        return weight > 0 && activeUp;
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

    // ---- health, write side (for dev.switchboard.proxy.health) ----

    /** What a probe or a failure did to the server's health. */
    public enum Transition {
        NONE, DOWN, UP
    }

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
     * A request to the server succeeded: forget counted failures and end a passive trip (the server
     * answers, whatever the trip waited for). Returns UP if that made the server healthy again.
     */
    public Transition recordPassiveSuccess() {
        if (passiveDownUntil == 0 && !recentFailuresCounted) {
            return Transition.NONE; // the common case, without taking the lock
        }
        synchronized (this) {
            boolean wasHealthy = healthy();
            recentFailures.clear();
            recentFailuresCounted = false;
            passiveDownUntil = 0;
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

    /**
     * When the last active probe of this server completed ({@link System#nanoTime}), so a new
     * checker after a reload keeps the cadence; {@link Long#MIN_VALUE} if never.
     */
    public long lastProbeNanos() {
        return lastProbeNanos;
    }

    // ---- requests in flight that can be cut short ----

    /** An attempt in flight to this server, which may give up when the server is found down. */
    public interface InFlight {
        /** Gives up if it is still waiting for an answer and can be sent elsewhere; true if it did. */
        boolean serverDown(Throwable reason);
    }

    public void track(InFlight attempt) {
        waiting.add(attempt);
    }

    public void untrack(InFlight attempt) {
        waiting.remove(attempt);
    }

    /**
     * The server was found down: requests waiting for its answer that can safely go to another
     * server give up now (they are retried there) instead of waiting for a timeout. Returns how many.
     */
    public int abandonWaiting(Throwable reason) {
        int n = 0;
        for (InFlight a : waiting) {
            if (a.serverDown(reason)) {
                n++;
            }
        }
        return n;
    }

    // ---- load ----

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.sum();
    }

    public long failures() {
        return failures.sum();
    }

    /** A request to this server begins. */
    public void begin() {
        inFlight.incrementAndGet();
        requests.increment();
    }

    /** The request ends; {@code failed} when the server could not be reached or did not answer. */
    public void end(boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            failures.increment();
        }
    }

    /** Records the time from sending a request to receiving the response headers (or to giving up). */
    public void recordResponseTime(long nanos) {
        synchronized (samples) {
            if (sampleCount < SAMPLES) {
                sampleCount++;
            } else {
                sampleSum -= samples[sampleIndex];
            }
            samples[sampleIndex] = nanos;
            sampleSum += nanos;
            sampleIndex = (sampleIndex + 1) % SAMPLES;
            averageNanos = (double) sampleSum / sampleCount;
            lastSampleNanos = System.nanoTime();
        }
    }

    /**
     * The average of the last 100 response times; after 10 s without a new one it halves every
     * further 10 s, so an avoided slow server is eventually tried again. 0 before the first.
     */
    public double averageResponseNanos(long nowNanos) {
        double avg = averageNanos;
        if (avg == 0) {
            return 0;
        }
        long idle = nowNanos - lastSampleNanos - HALF_LIFE_NANOS;
        return idle <= 0 ? avg : avg * Math.pow(0.5, (double) idle / HALF_LIFE_NANOS);
    }

    /** Smooth weighted round robin's running weight (callers synchronise). */
    public long currentWeight() {
        return currentWeight;
    }

    public void addCurrentWeight(long delta) {
        currentWeight += delta;
    }

    /** Whether the weight changed since the running weight was last restarted (a reload moved it). */
    public boolean weightChanged() {
        return rotationWeight != weight;
    }

    /** Restarts smooth weighted round robin's rotation at the current weight (callers synchronise). */
    public void restartRotation() {
        currentWeight = 0;
        rotationWeight = weight;
    }

    @Override
    public String toString() {
        return url;
    }
}

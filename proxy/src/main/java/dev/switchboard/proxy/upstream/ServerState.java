package dev.switchboard.proxy.upstream;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One server of one service (or one child of a {@code weighted} service) at run time: its identity,
 * its weight, its {@link ServerHealth}, and its load (requests in flight, counters, attempts that may
 * be cut short). It belongs to the server's identity (service name and URL), not to a configuration,
 * so a reload that keeps the server keeps its health and counters. What a balancing strategy learns
 * (rotation position, response times) is the strategy's own ({@code dev.switchboard.proxy.balancer}).
 */
public final class ServerState {
    /** Traefik's server status values, as its API shows them. */
    public static final String UP = ServerHealth.UP;
    public static final String DOWN = ServerHealth.DOWN;

    private final String service;
    private final String url;
    private volatile int weight;
    private final ServerHealth health = new ServerHealth();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Set<InFlight> waiting = ConcurrentHashMap.newKeySet();

    ServerState(String service, String url, int weight) {
        this.service = service;
        this.url = url;
        this.weight = weight;
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

    /** The server's health, which the health checks write. */
    public ServerHealth health() {
        return health;
    }

    /** Whether the server may get new requests: healthy and not weighted out. */
    public boolean available() {
        return weight > 0 && health.healthy();
    }

    /**
     * Whether the server may be tried when no server is {@link #available()}: weighted in, actively
     * UP, and only passively down.
     */
    public boolean lastResort() {
        return weight > 0 && health.activelyUp();
    }

    /** Actively UP (or not actively checked) and not taken out by the passive check. */
    public boolean healthy() {
        return health.healthy();
    }

    /** {@code UP} or {@code DOWN}, as Traefik's API shows a server's status. */
    public String status() {
        return health.status();
    }

    /** Why the server is down: {@code "health check"}, {@code "passive"}, or null when it is up. */
    public String downReason() {
        return health.downReason();
    }

    /** When the last active probe completed, or null if none did. */
    public Instant lastCheck() {
        return health.lastCheck();
    }

    /** The last error the active or passive check saw (kept after recovery), or null. */
    public String lastError() {
        return health.lastError();
    }

    /** When the server last went from UP to DOWN or back (or when its state was created). */
    public Instant statusSince() {
        return health.statusSince();
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

    @Override
    public String toString() {
        return url;
    }
}

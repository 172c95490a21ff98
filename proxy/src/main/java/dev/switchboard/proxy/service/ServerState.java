package dev.switchboard.proxy.service;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The runtime state of one server of one service: health, requests in flight, counters. It belongs
 * to the server's identity (service name and URL), not to a configuration, so a reload that keeps
 * the server keeps its state.
 */
public final class ServerState {
    private final String service;
    private final String url;
    private volatile int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean healthy = true;

    /** Smooth weighted round robin's running weight; guarded by the selector that uses it. */
    private long currentWeight;

    ServerState(String service, String url, int weight) {
        this.service = service;
        this.url = url;
        this.weight = weight;
    }

    public String service() {
        return service;
    }

    public String url() {
        return url;
    }

    public int weight() {
        return weight;
    }

    void weight(int newWeight) {
        this.weight = newWeight;
    }

    /** Whether the server may get new requests: healthy and not weighted out. */
    public boolean available() {
        return healthy && weight > 0;
    }

    public boolean healthy() {
        return healthy;
    }

    /** Sets health as a health check found it; returns whether it changed. */
    public boolean healthy(boolean nowHealthy) {
        boolean changed = healthy != nowHealthy;
        healthy = nowHealthy;
        return changed;
    }

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

    /** Smooth weighted round robin's running weight (callers synchronise). */
    public long currentWeight() {
        return currentWeight;
    }

    public void addCurrentWeight(long delta) {
        currentWeight += delta;
    }

    @Override
    public String toString() {
        return url;
    }
}

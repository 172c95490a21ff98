package dev.switchboard.lab.sim;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One simulated container: a replica of a compose service running on this machine with its own
 * loopback address. Subclasses run it (a child process, an embedded database); this class keeps
 * the state Docker would report.
 */
public abstract class SimContainer {

    /** Docker's container states, as {@code docker ps} shows them. */
    public enum State {
        CREATED, RUNNING, PAUSED, EXITED;

        public String docker() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String project;
    private final String service;
    private final int number;
    private final InetAddress address;
    private final String id;
    private final Map<String, String> labels;
    private volatile State state = State.CREATED;
    private volatile String health;
    private volatile Integer exitCode;
    private volatile Instant startedAt;

    protected SimContainer(String id, String project, String service, int number, InetAddress address,
            Map<String, String> labels) {
        this.id = id;
        this.project = project;
        this.service = service;
        this.number = number;
        this.address = address;
        this.labels = Map.copyOf(labels);
    }

    public String project() {
        return project;
    }

    public String service() {
        return service;
    }

    public int number() {
        return number;
    }

    /** {@code lab1-app1-2}: compose v2's container name. */
    public String name() {
        return project + "-" + service + "-" + number;
    }

    /** A 64-hex-digit id, as Docker's. */
    public String id() {
        return id;
    }

    public InetAddress address() {
        return address;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public State state() {
        return state;
    }

    protected void state(State s) {
        this.state = s;
        if (s == State.RUNNING && startedAt == null) {
            startedAt = Instant.now();
        }
    }

    /** {@code starting}, {@code healthy}, {@code unhealthy}, or null without a health check. */
    public String health() {
        return health;
    }

    public void health(String h) {
        this.health = h;
    }

    public Integer exitCode() {
        return exitCode;
    }

    protected void exited(int code) {
        this.exitCode = code;
        this.state = State.EXITED;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Starts it; returns once the program runs (not necessarily ready). */
    public abstract void start() throws Exception;

    /** {@code docker kill}: SIGKILL, connections reset. */
    public abstract void kill();

    /** {@code docker stop}: SIGTERM, then SIGKILL after the grace period. */
    public abstract void stop(Duration grace);

    /** {@code docker pause}: frozen; connections are accepted by the kernel but never answered. */
    public abstract void pause();

    public abstract void unpause();

    /** Whether the program still runs (paused counts as running). */
    public abstract boolean alive();
}

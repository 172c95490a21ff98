package dev.switchboard.lab.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A container whose program runs as a child process of the lab: kill is SIGKILL (its connections
 * are reset by the kernel, as when a container dies), stop is SIGTERM then SIGKILL, pause freezes it
 * (SIGSTOP, or at its ports where there are no signals: see {@link Freezer}): the listening socket
 * still accepts connections, nobody answers them, as with Docker's pause.
 */
public class ProcessContainer extends SimContainer {
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Logs logs;
    private final IntConsumer onExit;
    private final List<InetSocketAddress[]> gatedPorts;
    private volatile Freezer freezer = Freezer.SIGNALS;
    private volatile Process process;
    private volatile boolean expectedExit;

    public ProcessContainer(String id, String project, String service, int number, InetAddress address, Map<String, String> labels,
            List<String> command, Map<String, String> environment, Path workingDirectory, Logs logs, IntConsumer onExit) {
        this(id, project, service, number, address, labels, command, environment, workingDirectory, logs, onExit, null);
    }

    /**
     * With {@code gatedPorts} (pairs of the container's address and port, and the inner address its
     * program listens on instead), the container is frozen at those ports ({@link PortGate}) rather
     * than by signals.
     */
    public ProcessContainer(String id, String project, String service, int number, InetAddress address, Map<String, String> labels,
            List<String> command, Map<String, String> environment, Path workingDirectory, Logs logs, IntConsumer onExit,
            List<InetSocketAddress[]> gatedPorts) {
        super(id, project, service, number, address, labels);
        this.gatedPorts = gatedPorts;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
        this.logs = logs;
        this.onExit = onExit;
    }

    public List<String> command() {
        return command;
    }

    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        if (gatedPorts != null) {
            PortGate gate = new PortGate();
            for (InetSocketAddress[] pair : gatedPorts) {
                gate.relay(pair[0], pair[1]);
            }
            freezer = gate;
        }
        process = pb.start();
        expectedExit = false;
        state(State.RUNNING);
        logs.pump(name(), process.getInputStream());
        process.onExit().thenAccept(p -> {
            if (freezer instanceof PortGate gate) {
                gate.close();
            }
            exited(p.exitValue());
            onExit.accept(p.exitValue());
        });
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            expectedExit = true;
            if (state() == State.PAUSED) {
                freezer.thaw(p);
            }
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(10));
        }
    }

    @Override
    public void stop(Duration grace) {
        Process p = process;
        if (p != null && p.isAlive()) {
            expectedExit = true;
            if (state() == State.PAUSED) {
                freezer.thaw(p);
            }
            p.destroy();
            if (!waitFor(p, grace)) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(10));
            }
        }
    }

    @Override
    public void pause() {
        Process p = process;
        if (p != null && p.isAlive() && state() == State.RUNNING) {
            freezer.freeze(p);
            state(State.PAUSED);
        }
    }

    @Override
    public void unpause() {
        Process p = process;
        if (p != null && p.isAlive() && state() == State.PAUSED) {
            freezer.thaw(p);
            state(State.RUNNING);
        }
    }

    /** Whether the last exit was asked for (kill, stop) rather than a crash. */
    public boolean expectedExit() {
        return expectedExit;
    }

    @Override
    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    private static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

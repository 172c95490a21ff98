package dev.switchboard.lab;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.control.ControlServer;
import dev.switchboard.lab.control.LabState;
import dev.switchboard.lab.sim.EmulatedDocker;
import dev.switchboard.lab.sim.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A lab topology running simulated in this process: the Docker API emulation, the simulation, and
 * the control endpoint other {@code lab} commands use. {@link #close()} is {@code lab down}.
 */
public final class SimulatedLab implements AutoCloseable {
    private final ComposeFile compose;
    private final EmulatedDocker docker;
    private final Simulation simulation;
    private final ControlServer control;
    private final Path root;
    private volatile boolean closed;

    private SimulatedLab(Path root, ComposeFile compose, EmulatedDocker docker, Simulation simulation, ControlServer control) {
        this.root = root;
        this.compose = compose;
        this.docker = docker;
        this.simulation = simulation;
        this.control = control;
    }

    /**
     * Starts {@code compose} simulated. {@code stateDir} holds its logs, volumes and database files;
     * with {@code register}, other {@code lab} commands find it through {@code .lab/current.json}.
     */
    public static SimulatedLab start(Path root, String labId, ComposeFile compose, Path stateDir, boolean register,
            Consumer<String> progress) throws Exception {
        return start(root, labId, compose, stateDir, register, false, progress);
    }

    /** As above; with {@code anyHostPort}, published ports go to free host ports instead of the ones the file names. */
    public static SimulatedLab start(Path root, String labId, ComposeFile compose, Path stateDir, boolean register,
            boolean anyHostPort, Consumer<String> progress) throws Exception {
        EmulatedDocker docker = new EmulatedDocker();
        Simulation simulation;
        try {
            simulation = Simulation.start(compose, new Simulation.Options(root, stateDir, docker, docker.endpoint(),
                    Duration.ofSeconds(10), anyHostPort), progress);
        } catch (Exception | Error e) {
            docker.close();
            throw e;
        }
        SimulatedLab[] self = new SimulatedLab[1];
        ControlServer control = new ControlServer(simulation, () -> self[0].close());
        self[0] = new SimulatedLab(root, compose, docker, simulation, control);
        if (register) {
            new LabState(labId, compose.project(), compose.file().toString(), LabState.SIMULATED, control.url(),
                    ProcessHandle.current().pid()).save(root);
        }
        return self[0];
    }

    public Simulation simulation() {
        return simulation;
    }

    public ComposeFile compose() {
        return compose;
    }

    /** What to open in a browser: the proxy's published entry points and dashboard. */
    public Map<String, String> urls() {
        Map<String, String> out = new LinkedHashMap<>();
        simulation.publishedUrls().forEach((serviceAndPort, url) -> {
            String service = serviceAndPort.substring(0, serviceAndPort.indexOf(':'));
            int port = Integer.parseInt(serviceAndPort.substring(serviceAndPort.indexOf(':') + 1));
            boolean proxy = simulation.plans().stream().anyMatch(p -> p.name().equals(service)
                    && p.kind() == dev.switchboard.lab.sim.ServicePlan.Kind.PROXY);
            boolean dashboard = proxy && port == 8080 && compose.services().get(service).command().stream()
                    .anyMatch(f -> f.toLowerCase(Locale.ROOT).startsWith("--api.insecure"));
            String label = dashboard ? "dashboard" : proxy ? "entry point :" + port : service + " :" + port;
            out.put(label, dashboard ? url + "/dashboard/" : url);
        });
        return out;
    }

    /** Lines to print when the lab is ready. */
    public List<String> readyLines() {
        List<String> lines = new ArrayList<>();
        lines.add(compose.project() + " is running (simulated: no Docker; each container has its own 127.x.y.z address)");
        urls().forEach((what, url) -> lines.add(String.format("  %-20s %s", what, url)));
        if (!simulation.privileged()) {
            lines.add("  (ports below 1024 need root: the simulation moved them, 80 to 8000, 443 to 8443)");
        }
        lines.add("Try ./lab ps, ./lab kill <service> <replica>, ./lab logs <service>; ./lab down (or Ctrl-C) stops it.");
        return lines;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            control.close();
        } catch (Exception e) {
            // stopping anyway
        }
        simulation.close();
        try {
            docker.close();
        } catch (Exception e) {
            // stopping anyway
        }
        LabState.load(root).filter(s -> s.pid() == ProcessHandle.current().pid()).ifPresent(s -> LabState.clear(root));
        synchronized (this) {
            notifyAll();
        }
    }

    /** Blocks until {@link #close()}. */
    public synchronized void awaitClose() throws InterruptedException {
        while (!closed) {
            wait();
        }
    }
}

package dev.switchboard.lab.sim;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.model.ProxyModel;
import dev.switchboard.lab.model.ServiceModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A lab topology running simulated in this process: the Docker API emulation the proxy reads, and
 * the simulation of the model's services. {@link #close()} is {@code docker compose down}.
 */
public final class SimulatedLab implements AutoCloseable {
    private final EmulatedDocker docker;
    private final Simulation simulation;
    private volatile boolean closed;

    private SimulatedLab(EmulatedDocker docker, Simulation simulation) {
        this.docker = docker;
        this.simulation = simulation;
    }

    /**
     * Starts {@code model} simulated. {@code stateDir} holds its logs, volumes and database files; with
     * {@code anyHostPort}, published ports go to free host ports instead of the ones the file names.
     */
    public static SimulatedLab start(Path root, LabModel model, Path stateDir, boolean anyHostPort, Consumer<String> progress)
            throws Exception {
        EmulatedDocker docker = new EmulatedDocker();
        try {
            return new SimulatedLab(docker, Simulation.start(model, new Simulation.Options(root, stateDir, docker,
                    docker.endpoint(), Duration.ofSeconds(10), anyHostPort), progress));
        } catch (Exception | Error e) {
            docker.close();
            throw e;
        }
    }

    public Simulation simulation() {
        return simulation;
    }

    public LabModel model() {
        return simulation.model();
    }

    public ComposeFile compose() {
        return simulation.compose();
    }

    /** What to open in a browser: the proxy's published entry points and dashboard, then other published ports. */
    public Map<String, String> urls() {
        Map<String, String> out = new LinkedHashMap<>();
        simulation.publishedUrls().forEach((serviceAndPort, url) -> {
            String service = serviceAndPort.substring(0, serviceAndPort.indexOf(':'));
            int port = Integer.parseInt(serviceAndPort.substring(serviceAndPort.indexOf(':') + 1));
            ServiceModel m = model().service(service);
            boolean dashboard = m.proxy().map(ProxyModel::dashboard).orElse(false) && port == 8080;
            String label = dashboard ? "dashboard" : m.isProxy() ? "entry point :" + port : service + " :" + port;
            out.put(label, dashboard ? url + "/dashboard/" : url);
        });
        return out;
    }

    /** Lines to print when the lab is ready. */
    public List<String> readyLines() {
        List<String> lines = new ArrayList<>();
        lines.add(compose().project() + " is running (simulated: no Docker; " + simulation.addressing() + ")");
        urls().forEach((what, url) -> lines.add(String.format("  %-20s %s", what, url)));
        simulation.portNotes().forEach(note -> lines.add("  (" + note + ")"));
        lines.add("Try ./lab ps, ./lab kill <service> <replica>, ./lab logs <service>; ./lab down (or Ctrl-C) stops it.");
        return lines;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        simulation.close();
        try {
            docker.close();
        } catch (Exception e) {
            // stopping anyway
        }
        notifyAll();
    }

    /** Blocks until {@link #close()}. */
    public synchronized void awaitClose() throws InterruptedException {
        while (!closed) {
            wait();
        }
    }
}

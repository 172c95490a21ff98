package dev.switchboard.lab.topology;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.sim.SimContainer;
import dev.switchboard.lab.sim.SimulatedLab;
import dev.switchboard.lab.sim.Simulation;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** A topology run by the simulation, with published ports on free host ports so gradings can run side by side. */
public final class SimulatedTopology implements Topology {
    private final SimulatedLab lab;
    private final LabFiles files;

    private SimulatedTopology(SimulatedLab lab) {
        this.lab = lab;
        this.files = new LabFiles(lab.compose().directory());
    }

    public static SimulatedTopology start(Path root, ComposeFile compose, Path stateDir, Consumer<String> progress)
            throws Exception {
        return start(root, compose, stateDir, progress, TopologyOptions.DEFAULT);
    }

    /** As above, with the proxy's profile; the official Traefik image runs on the containers backend only. */
    public static SimulatedTopology start(Path root, ComposeFile compose, Path stateDir, Consumer<String> progress,
            TopologyOptions options) throws Exception {
        if (options.traefikImage() != null) {
            throw new IllegalArgumentException("--traefik runs the official Traefik image, which needs Docker: grade with "
                    + "--backend containers --traefik");
        }
        LabModel model = LabModel.of(compose, options.profile());
        SimulatedLab lab = SimulatedLab.start(root, model, stateDir, true, progress);
        List<String> unhealthy = lab.simulation().awaitHealthy(java.time.Duration.ofMinutes(3));
        if (!unhealthy.isEmpty()) {
            progress.accept("not healthy after 3 minutes: " + String.join(", ", unhealthy) + "; grading anyway");
        }
        // The proxy applies Docker changes after its providers throttle (Traefik's 2 s): let it see the last health events.
        Thread.sleep(model.providersSettle().toMillis());
        return new SimulatedTopology(lab);
    }

    private Simulation sim() {
        return lab.simulation();
    }

    @Override
    public String backend() {
        return "simulated";
    }

    @Override
    public ComposeFile compose() {
        return lab.compose();
    }

    @Override
    public URI published(String service, int containerPort) {
        return URI.create(sim().publishedUrl(service, containerPort));
    }

    @Override
    public InetSocketAddress direct(String service, int replica, int containerPort) {
        return sim().address(service, replica, containerPort);
    }

    @Override
    public List<Integer> replicas(String service) {
        return sim().containers(service).stream().map(SimContainer::number).sorted().toList();
    }

    @Override
    public void kill(String service, int replica) {
        sim().kill(service, replica);
    }

    @Override
    public void stop(String service, int replica) {
        sim().stop(service, replica);
    }

    @Override
    public void pause(String service, int replica) {
        sim().pause(service, replica);
    }

    @Override
    public void unpause(String service, int replica) {
        sim().unpause(service, replica);
    }

    @Override
    public void scale(String service, int replicas) {
        try {
            sim().scale(service, replicas);
        } catch (Exception e) {
            throw new IllegalStateException("scaling " + service + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String logs(String service) {
        StringBuilder out = new StringBuilder();
        for (SimContainer c : sim().containers(service)) {
            for (String line : sim().logs().recent(c.name())) {
                out.append(c.name()).append(" | ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public java.util.Optional<String> file(String service, int replica, String containerPath) {
        return sim().hostPath(service, containerPath).filter(java.nio.file.Files::isRegularFile).map(p -> {
            try {
                return java.nio.file.Files.readString(p);
            } catch (java.io.IOException e) {
                return "";
            }
        });
    }

    /** The simulation reads bind mounts from the compose file's folder itself, so the file is written there. */
    @Override
    public void writeFile(String relativePathInLabDir, String content) {
        files.write(relativePathInLabDir, content);
    }

    @Override
    public void close() {
        try {
            lab.close();
        } finally {
            files.restore();
        }
    }
}

package dev.switchboard.lab.sim;

import dev.switchboard.testkit.docker.ContainerSpec;
import dev.switchboard.testkit.docker.DockerEngineEmulator;
import java.util.Map;

/**
 * Simulated containers as the proxy's Docker provider sees them: each one is a container of the
 * Docker Engine API emulation, with its compose labels, its network address and Docker's events for
 * what happens to it.
 */
public final class EmulatedDocker implements DockerEvents, AutoCloseable {
    private final DockerEngineEmulator engine;

    public EmulatedDocker() throws Exception {
        this.engine = DockerEngineEmulator.start();
    }

    /** Where the proxy reaches the emulation: {@code tcp://127.0.0.1:port}. */
    public String endpoint() {
        return engine.tcpEndpoint();
    }

    public DockerEngineEmulator engine() {
        return engine;
    }

    @Override
    public String create(Descriptor d) {
        ContainerSpec spec = ContainerSpec.named(d.name()).labels(d.labels());
        String[] nameParts = d.name().split("-");
        spec.image(d.labels().getOrDefault("com.docker.compose.project", nameParts[0]) + "-"
                + d.labels().getOrDefault("com.docker.compose.service", d.name()) + ":latest");
        for (Map.Entry<String, String> n : d.networks().entrySet()) {
            spec.network(n.getKey(), n.getValue());
        }
        d.exposed().forEach(spec::expose);
        if (d.healthcheck()) {
            spec.healthcheck();
        }
        return engine.create(spec);
    }

    @Override
    public void started(SimContainer c) {
        engine.start(c.name());
    }

    @Override
    public void killed(SimContainer c, int exitCode) {
        engine.kill(c.name(), 9);
    }

    @Override
    public void stopping(SimContainer c) {
        engine.beginStop(c.name());
    }

    @Override
    public void died(SimContainer c, int exitCode) {
        engine.die(c.name(), exitCode);
    }

    @Override
    public void stopped(SimContainer c) {
        engine.finishStop(c.name());
    }

    @Override
    public void paused(SimContainer c) {
        engine.pause(c.name());
    }

    @Override
    public void unpaused(SimContainer c) {
        engine.unpause(c.name());
    }

    @Override
    public void health(SimContainer c, String status) {
        engine.setHealth(c.name(), switch (status) {
            case "healthy" -> DockerEngineEmulator.Health.HEALTHY;
            case "unhealthy" -> DockerEngineEmulator.Health.UNHEALTHY;
            default -> DockerEngineEmulator.Health.STARTING;
        });
    }

    @Override
    public void removed(SimContainer c) {
        engine.remove(c.name());
    }

    @Override
    public void close() throws Exception {
        engine.close();
    }
}

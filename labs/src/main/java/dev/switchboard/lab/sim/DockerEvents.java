package dev.switchboard.lab.sim;

import java.util.List;
import java.util.Map;

/**
 * Tells the Docker Engine API emulation what happened to simulated containers, so the proxy's
 * Docker provider sees the same containers and events it would see on a real engine.
 */
public interface DockerEvents {

    /** What {@code docker create} is told about a container. */
    record Descriptor(String name, Map<String, String> labels, Map<String, String> networks, List<Integer> exposed,
            boolean healthcheck) {
    }

    /** {@code create}: returns the container's id. */
    String create(Descriptor container);

    /** The container's program runs ({@code start}). */
    void started(SimContainer container);

    /** {@code docker kill}: {@code kill} (signal 9) then {@code die}. */
    void killed(SimContainer container, int exitCode);

    /** {@code docker stop} begins: {@code kill} (signal 15). */
    void stopping(SimContainer container);

    /** The program ended by itself, a crash or an exit ({@code die}). */
    void died(SimContainer container, int exitCode);

    /** {@code docker stop} finished: {@code die} then {@code stop}. */
    void stopped(SimContainer container);

    void paused(SimContainer container);

    void unpaused(SimContainer container);

    /** {@code health_status: healthy|unhealthy}. */
    void health(SimContainer container, String status);

    /** Removed ({@code destroy}), e.g. when scaled down. */
    void removed(SimContainer container);

    /** No Docker API: for topologies without a Docker provider. */
    DockerEvents NONE = new DockerEvents() {
        @Override
        public String create(Descriptor container) {
            return ContainerIds.next(container.name());
        }

        @Override
        public void started(SimContainer c) {
        }

        @Override
        public void killed(SimContainer c, int exitCode) {
        }

        @Override
        public void stopping(SimContainer c) {
        }

        @Override
        public void died(SimContainer c, int exitCode) {
        }

        @Override
        public void stopped(SimContainer c) {
        }

        @Override
        public void paused(SimContainer c) {
        }

        @Override
        public void unpaused(SimContainer c) {
        }

        @Override
        public void health(SimContainer c, String status) {
        }

        @Override
        public void removed(SimContainer c) {
        }
    };
}

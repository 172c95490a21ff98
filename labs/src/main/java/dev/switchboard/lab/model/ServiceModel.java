package dev.switchboard.lab.model;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.Dockerfile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One service of a lab as both backends run it.
 *
 * @param index       its position in the file, from 1 (the simulation's addresses use it)
 * @param dependsOn   what it waits for before it starts, checked: every service exists, no cycle
 * @param networks    the networks it joins: those it names, else compose's {@code default}
 * @param dockerfile  the Dockerfile it is built from, as far as the lab reads one; empty for images
 *                    and for Dockerfiles beyond that reading ({@link #dockerfileProblem} says why)
 * @param health      its health check, or empty: none, or (for an image) the image's own if it has one
 * @param proxy       present when the service runs the proxy
 * @param environment the container's environment: the file's, plus what the lab adds (the proxy's profile)
 */
public record ServiceModel(ComposeFile.Service service, int index, List<Dependency> dependsOn, Set<String> networks,
        Optional<Dockerfile> dockerfile, ComposeException dockerfileProblem, Optional<Health> health,
        Optional<ProxyModel> proxy, Map<String, String> environment) {

    public String name() {
        return service.name();
    }

    /** {@code compose.yaml:12}, for messages. */
    public String where() {
        return service.where();
    }

    public boolean isProxy() {
        return proxy.isPresent();
    }

    /** Whether the health check is known not to exist: the file disabled it, or it builds an image that declares none. */
    public boolean knownWithoutHealthCheck() {
        if (health.isPresent()) {
            return false;
        }
        return service.healthcheck() != null || service.build() != null;
    }

    /** The Dockerfile, or the reason the lab cannot read it. */
    public Dockerfile requireDockerfile() {
        if (dockerfileProblem != null) {
            throw dockerfileProblem;
        }
        return dockerfile.orElseThrow(() -> new ComposeException(where() + ": service " + name() + " is not built from a Dockerfile"));
    }
}

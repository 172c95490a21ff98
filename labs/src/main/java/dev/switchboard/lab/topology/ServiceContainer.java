package dev.switchboard.lab.topology;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * One replica of a compose service, {@code <project>-<service>-<n>}, as {@code docker compose up}
 * creates it. Compose semantics rather than a test fixture's: the container counts as started once
 * Docker has started it, even if its program exits at once (a submission's broken container stays
 * there, with its logs, for the checks to report), and readiness is the health checks' business,
 * not a wait strategy's. A container on several networks joins the others, with its aliases, before
 * it starts, as compose does.
 */
final class ServiceContainer extends GenericContainer<ServiceContainer> {
    private final String service;
    private final int number;
    private final String name;
    private final List<Map.Entry<Network, List<String>>> otherNetworks = new ArrayList<>();

    ServiceContainer(String image, String service, int number, String name) {
        super(DockerImageName.parse(image));
        this.service = service;
        this.number = number;
        this.name = name;
        waitingFor(new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
                // compose waits for nothing; depends_on conditions and health are checked by the topology
            }
        });
        withStartupCheckStrategy(new StartupCheckStrategy() {
            @Override
            public StartupStatus checkStartupState(DockerClient docker, String containerId) {
                InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
                boolean started = Boolean.TRUE.equals(state.getRunning()) || state.getFinishedAt() != null
                        && !state.getFinishedAt().startsWith("0001-");
                return started ? StartupStatus.SUCCESSFUL : StartupStatus.NOT_YET_KNOWN;
            }
        });
    }

    String service() {
        return service;
    }

    int number() {
        return number;
    }

    String name() {
        return name;
    }

    /** Also on {@code network}, reachable there as {@code aliases}. */
    ServiceContainer alsoOn(Network network, List<String> aliases) {
        otherNetworks.add(Map.entry(network, aliases));
        return this;
    }

    @Override
    protected void containerIsCreated(String containerId) {
        DockerClient docker = DockerClientFactory.instance().client();
        for (Map.Entry<Network, List<String>> n : otherNetworks) {
            docker.connectToNetworkCmd().withContainerId(containerId).withNetworkId(n.getKey().getId())
                    .withContainerNetwork(new ContainerNetwork().withAliases(n.getValue())).exec();
        }
    }
}

package dev.switchboard.lab.sim;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.model.ServiceModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one compose service runs in the simulation: what kind of program, its command line and
 * environment (service names and paths already translated), the ports it listens on, its health
 * probe.
 *
 * @param model         the service as the lab's model has it (dependencies, health, networks)
 * @param kind          what runs it
 * @param program       the command line, with {@code {ip}} where the replica's address goes
 * @param environment   the environment, with {@code {ip}} and {@code {hostname}} placeholders
 * @param listenPorts   container ports the program listens on (for health fallbacks and ps)
 * @param health        the health probe, or null without a health check
 * @param healthTiming  interval, timeout, retries, start period
 */
public record ServicePlan(ServiceModel model, Kind kind, List<String> program,
        Map<String, String> environment, Path workingDirectory, List<Integer> listenPorts, HealthProbe health,
        HealthTiming healthTiming, int databasePort, List<Path> initScripts, String note) {

    /** What runs a service's containers. */
    public enum Kind {
        /** Switchboard's proxy (image traefik or the proxy's own Dockerfile). */
        PROXY,
        /** A Java image: the Dockerfile's {@code java -jar} run with the jar it copies. */
        JAVA,
        /** A mysql/mariadb image: MariaDB. */
        DATABASE,
        /** traefik/whoami: Switchboard's Whoami. */
        WHOAMI
    }

    public record HealthTiming(Duration interval, Duration timeout, int retries, Duration startPeriod) {
    }

    public String name() {
        return model.name();
    }

    /** The service as the compose file has it. */
    public ComposeFile.Service service() {
        return model.service();
    }

    /** Position of the service in the file, from 1: the third byte of its addresses. */
    public int index() {
        return model.index();
    }
}

package dev.switchboard.lab.compose;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The part of a Compose file (compose-spec) that lab topologies use: services with their image or
 * build, command, environment, ports, labels, replicas, networks, dependencies, health check and
 * volumes. Values are interpolated ({@code ${VAR:-default}}) and relative paths resolved against the
 * file's directory.
 *
 * @param file     the compose file
 * @param project  the project name: {@code name:} in the file, else the directory name, normalised as compose does
 * @param services services in file order
 */
public record ComposeFile(Path file, String project, Map<String, Service> services, List<String> networks,
        List<String> volumes) {

    /** The same file under another project name (gradings run side by side under unique names). */
    public ComposeFile withProject(String newProject) {
        return new ComposeFile(file, newProject, services, networks, volumes);
    }

    /**
     * The same file read from {@code newFile} (another folder): bind mounts resolve against the new
     * folder, except those {@code volume} rewrites (for instance to absolute paths). Build contexts
     * are absolute already, so images are built from the same sources.
     */
    public ComposeFile relocated(Path newFile, java.util.function.UnaryOperator<Volume> volume) {
        Map<String, Service> moved = new java.util.LinkedHashMap<>();
        services.forEach((name, s) -> moved.put(name, new Service(s.name(), s.image(), s.build(), s.command(),
                s.environment(), s.ports(), s.expose(), s.labels(), s.replicas(), s.networks(), s.dependsOn(),
                s.healthcheck(), s.volumes().stream().map(volume).toList(), s.containerName(), s.source())));
        return new ComposeFile(newFile.toAbsolutePath(), project, moved, networks, volumes);
    }

    /** The directory relative paths are resolved against. */
    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    /** One service of the file. */
    public record Service(
            String name,
            String image,
            Build build,
            List<String> command,
            Map<String, String> environment,
            List<Port> ports,
            List<Integer> expose,
            Map<String, String> labels,
            int replicas,
            List<String> networks,
            Map<String, String> dependsOn,
            HealthCheck healthcheck,
            List<Volume> volumes,
            String containerName,
            String source) {

        /** {@code compose.yaml:12}: where the service is defined, for messages. */
        public String where() {
            return source;
        }
    }

    /** {@code build:} with its context resolved to an absolute path. */
    public record Build(Path context, String dockerfile, Map<String, String> args) {
    }

    /** A published port: {@code [hostIp:]hostPort:containerPort}; hostPort 0 means any free port. */
    public record Port(String hostIp, int hostPort, int containerPort) {
    }

    /** {@code healthcheck:} as compose writes it; test is the CMD or CMD-SHELL form. */
    public record HealthCheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod,
            boolean disabled) {
    }

    /** A volume or bind mount. */
    public record Volume(String source, String target, boolean readOnly, boolean named) {
    }
}

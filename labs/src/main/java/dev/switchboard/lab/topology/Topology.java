package dev.switchboard.lab.topology;

import dev.switchboard.lab.compose.ComposeFile;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * A running lab topology, as the grading suites see it, whatever runs it: the simulation on this
 * machine, or containers on a Docker engine. Suites reach services through published ports (as a
 * student's browser would) and break containers the ways Docker can.
 */
public interface Topology extends AutoCloseable {

    /** {@code simulated} or {@code containers}. */
    String backend();

    ComposeFile compose();

    /** The base URL of a service's published container port, from this machine: {@code http://127.0.0.1:41234}. */
    URI published(String service, int containerPort);

    /** Where this machine reaches a replica's container port directly (its address, or a mapped port). */
    InetSocketAddress direct(String service, int replica, int containerPort);

    /** Replica numbers of a service that exist (running or not), in order. */
    List<Integer> replicas(String service);

    /** {@code docker kill}: abrupt, connections reset. */
    void kill(String service, int replica);

    /** {@code docker stop}: graceful. */
    void stop(String service, int replica);

    /** {@code docker pause}: accepts connections, answers nothing. */
    void pause(String service, int replica);

    void unpause(String service, int replica);

    /** {@code docker compose up --scale service=n}. */
    void scale(String service, int replicas);

    /** Everything a service's containers wrote to stdout/stderr so far. */
    String logs(String service);

    /** A file inside a replica's container (e.g. an access log written to a path), if it exists. */
    java.util.Optional<String> file(String service, int replica, String containerPath);

    /**
     * Writes {@code content} to {@code relativePathInLabDir}, a path relative to the folder of the
     * compose file ({@link ComposeFile#directory()}), creating folders as needed: what a student does
     * when editing a file that a bind mount ({@code ./dynamic:/etc/switchboard/dynamic:ro}) shows to a
     * running container. Lab 6 uses it to change the proxy's dynamic configuration while it runs.
     *
     * <p>The grader runs every submission from a private copy of its files (see
     * {@code dev.switchboard.lab.Grading}), so this never changes a student's own files. Paths that
     * leave the folder ({@code ../x}, absolute paths) are refused.
     */
    void writeFile(String relativePathInLabDir, String content);

    /**
     * Where {@link #writeFile} writes: {@code relativePath} under the compose file's folder; a path
     * that is absolute or leaves the folder is refused, so a check cannot write elsewhere.
     */
    static java.nio.file.Path resolveInLabDir(ComposeFile compose, String relativePath) {
        java.nio.file.Path dir = compose.directory().toAbsolutePath().normalize();
        java.nio.file.Path rel = java.nio.file.Path.of(relativePath);
        java.nio.file.Path target = dir.resolve(rel).normalize();
        if (rel.isAbsolute() || !target.startsWith(dir) || target.equals(dir)) {
            throw new IllegalArgumentException(relativePath + " is not a file inside the lab folder " + dir);
        }
        return target;
    }

    @Override
    void close();
}

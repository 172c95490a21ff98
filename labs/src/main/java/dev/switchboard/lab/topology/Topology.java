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
     * Writes a file of the lab's folder (relative to the compose file, e.g. {@code dynamic/extra.yml}),
     * as a student editing a bind-mounted file would: containers that mount it (or its folder) see
     * the change at once. Every file written is put back as it was when the topology closes.
     */
    void writeFile(String relativePathInLabDir, String content);

    @Override
    void close();
}

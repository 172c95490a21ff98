package dev.switchboard.lab.topology;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine the containers backend runs on, found the way Testcontainers finds it
 * ({@code DOCKER_HOST}, then the local socket, Docker Desktop...), or an
 * {@link BackendException} saying why there is none: a grading without Docker is
 * not graded, it never scores zero.
 *
 * <p>One difference from Testcontainers, on purpose: when {@code DOCKER_HOST} names an engine
 * that does not answer, Testcontainers quietly falls back to {@code /var/run/docker.sock}. An
 * instructor who set {@code DOCKER_HOST} meant that engine (a grading machine, a remote builder),
 * so the grader says it does not answer instead of grading somewhere else.
 */
final class DockerEngine {
    private DockerEngine() {
    }

    /** The engine's client; {@code dockerHost} is the {@code DOCKER_HOST} setting (null when unset). */
    static DockerClient connect(String dockerHost) {
        if (dockerHost != null && !dockerHost.isBlank()) {
            String problem = unreachable(dockerHost.trim());
            if (problem != null) {
                throw new BackendException("no Docker engine: DOCKER_HOST is " + dockerHost.trim() + ", but "
                        + problem + ". Start that engine, point DOCKER_HOST at one that runs (or unset it to use the local one), "
                        + "or grade with --backend simulated");
            }
        }
        try {
            return DockerClientFactory.instance().client();
        } catch (RuntimeException | Error e) {
            throw new BackendException("no Docker engine: " + causes(e) + ". Start Docker (Docker Desktop, or "
                    + "dockerd), or grade with --backend simulated; on a machine without access to a registry also export "
                    + "TESTCONTAINERS_RYUK_DISABLED=true (docs/instructors/grading.md)", e);
        }
    }

    /** The path of the engine's socket, to bind into the proxy container for its Docker provider. */
    static String socketPath() {
        return DockerClientFactory.instance().getRemoteDockerUnixSocketPath();
    }

    /**
     * Where this machine reaches ports the engine publishes: 127.0.0.1 for a local engine (ports are then
     * published on the loopback interface only), else the engine's host.
     */
    static String publishedHost() {
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        return isLoopback(host) ? "127.0.0.1" : host;
    }

    /** The address ports are published on: loopback only when the engine is on this machine. */
    static String bindAddress() {
        return isLoopback(DockerClientFactory.instance().dockerHostIpAddress()) ? "127.0.0.1" : "0.0.0.0";
    }

    private static boolean isLoopback(String host) {
        return host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** Null when something accepts connections at {@code endpoint}; otherwise what went wrong. */
    static String unreachable(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            return "that is not an address (" + e.getMessage() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "unix" -> {
                Path socket = Path.of(uri.getPath());
                if (!Files.exists(socket)) {
                    return socket + " does not exist";
                }
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    return null;
                } catch (IOException | UnsupportedOperationException e) {
                    return "nothing answers on " + socket + " (" + e.getMessage() + ")";
                }
            }
            case "tcp", "http", "https" -> {
                if (uri.getHost() == null) {
                    return "it names no host";
                }
                int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 2376 : 2375;
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(uri.getHost(), port), 3000);
                    return null;
                } catch (IOException e) {
                    return "nothing answers on " + uri.getHost() + ":" + port + " (" + e.getMessage() + ")";
                }
            }
            default -> {
                return null; // npipe, ssh: left to Testcontainers
            }
        }
    }

    /** A message and its causes, without repeats: {@code Could not find a valid Docker environment: ...}. */
    static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (!m.isEmpty() && b.indexOf(m) < 0) {
                b.append(b.length() == 0 ? "" : ": ").append(m);
            }
        }
        return b.toString();
    }
}

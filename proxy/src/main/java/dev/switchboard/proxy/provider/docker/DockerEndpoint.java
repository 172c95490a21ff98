package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the Docker engine listens, as Traefik's {@code --providers.docker.endpoint} writes it:
 * {@code unix:///var/run/docker.sock} (the default) or {@code tcp://host:port} ({@code http://}
 * is accepted too). SSH and Windows named pipes are not supported.
 *
 * @param socket the Unix socket, or null for TCP
 * @param baseUrl the URL requests are sent to; for a Unix socket its host is only a placeholder
 */
public record DockerEndpoint(String text, Path socket, String baseUrl) {

    public static DockerEndpoint parse(String endpoint) {
        String flag = "--providers.docker.endpoint=" + endpoint;
        if (endpoint == null || endpoint.isBlank()) {
            throw new ConfigException("--providers.docker.endpoint is empty: use unix:///var/run/docker.sock or tcp://host:2375");
        }
        String lower = endpoint.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix://")) {
            String path = endpoint.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new ConfigException(flag + ": a unix endpoint has an absolute path after unix:// "
                        + "(three slashes in all): unix:///var/run/docker.sock");
            }
            return new DockerEndpoint(endpoint, Path.of(path), "http://localhost");
        }
        if (lower.startsWith("tcp://") || lower.startsWith("http://")) {
            URI uri;
            try {
                uri = new URI("http://" + endpoint.substring(endpoint.indexOf("://") + 3));
            } catch (URISyntaxException e) {
                throw new ConfigException(flag + ": not a valid address: " + e.getReason());
            }
            if (uri.getHost() == null) {
                throw new ConfigException(flag + ": no host: write tcp://host:2375");
            }
            int port = uri.getPort() == -1 ? 2375 : uri.getPort();
            String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
            return new DockerEndpoint(endpoint, null, "http://" + host + ":" + port);
        }
        if (lower.startsWith("https://")) {
            throw new ConfigException(flag + ": TLS to the Docker engine is not supported: use the unix socket "
                    + "(mount /var/run/docker.sock) or plain tcp:// on a trusted network");
        }
        if (lower.startsWith("ssh://") || lower.startsWith("npipe://")) {
            throw new ConfigException(flag + ": Switchboard reaches Docker over unix:// or tcp:// only: "
                    + "mount /var/run/docker.sock into the proxy container");
        }
        if (endpoint.startsWith("/")) {
            throw new ConfigException(flag + ": write the socket as a URL: unix://" + endpoint);
        }
        throw new ConfigException(flag + ": use unix:///var/run/docker.sock or tcp://host:port");
    }

    public boolean isUnix() {
        return socket != null;
    }

    @Override
    public String toString() {
        return text;
    }
}

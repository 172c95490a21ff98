package dev.switchboard.proxy.server;

import dev.switchboard.proxy.rules.GoUrlPaths;
import dev.switchboard.proxy.rules.RoutingRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * A Jetty request as rules see it, as Traefik v3.2 sees a Go request; host, path and query are
 * worked out on first use. The host is the request target's when it is in absolute form, else the
 * Host header's (none: empty), without port or brackets. The path is Go's {@code URL.Path}, every
 * escape decoded, or with {@code routingPath} Traefik v3.4.1's routing path. The query is read as
 * Go reads it.
 */
final class JettyRoutingRequest implements RoutingRequest {
    private final Request request;
    private final boolean keepReservedEscapes;
    private String host;
    private String routingPath;
    private Map<String, List<String>> query;

    JettyRoutingRequest(Request request) {
        this(request, false);
    }

    /** {@code keepReservedEscapes}: match paths as Traefik v3.4.1 and later ({@link GoUrlPaths#routingPath}). */
    JettyRoutingRequest(Request request, boolean keepReservedEscapes) {
        this.request = request;
        this.keepReservedEscapes = keepReservedEscapes;
    }

    @Override
    public String host() {
        if (host == null) {
            String h = request.getHttpURI().getHost();
            String header = request.getHeaders().get(HttpHeader.HOST);
            if (h == null || h.isEmpty()) {
                h = header == null ? "" : withoutPort(header); // http://@/ : Go falls back to the Host header
            } else if (header == null && h.equals(Request.getLocalAddr(request))) {
                h = ""; // HTTP/1.0 without Host: Jetty puts the local address, Go leaves the host empty
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            host = h.trim().toLowerCase(Locale.ROOT);
        }
        return host;
    }

    private static String withoutPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > hostPort.lastIndexOf(']') ? hostPort.substring(0, colon) : hostPort;
    }

    @Override
    public String routingPath() {
        if (routingPath == null) {
            HttpURI uri = request.getHttpURI();
            String raw = uri.getPath();
            if (org.eclipse.jetty.http.HttpMethod.CONNECT.is(request.getMethod()) && uri.getHost() != null
                    && !uri.getHost().isEmpty()) {
                // CONNECT host:port (Jetty gives it the path /): Go's URL.Path is empty, so PathPrefix(`/`) does not match it
                routingPath = "";
            } else if (raw == null || raw.isEmpty()) {
                routingPath = "/";
            } else {
                routingPath = keepReservedEscapes ? GoUrlPaths.routingPath(raw) : GoUrlPaths.decodedPath(raw);
            }
        }
        return routingPath;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    @Override
    public List<String> queryValues(String name) {
        if (query == null) {
            query = GoUrlPaths.parseQuery(request.getHttpURI().getQuery());
        }
        return query.get(name);
    }

    @Override
    public String clientIp() {
        return Request.getRemoteAddr(request);
    }
}

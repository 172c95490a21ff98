package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code redirectScheme}: sends the client to the same host and path with another scheme
 * (and {@code port}, left out when it is the scheme's default). A request already on the target
 * scheme and port passes through, so the middleware can sit on a router that serves both. The
 * scheme the client used is the connection's, or {@code X-Forwarded-Proto} when a trusted proxy in
 * front set it. Status rules: see {@link Redirects}; {@code forcePermanentRedirect} always 308.
 */
public final class RedirectScheme implements Request.Handler {
    private final String scheme;
    private final String port;
    private final boolean permanent;
    private final Integer forcedStatus;
    private final Request.Handler next;

    public RedirectScheme(Middleware.RedirectScheme config, Request.Handler next) {
        if (config.scheme() == null || config.scheme().isEmpty()) {
            throw new ConfigException("you must provide a target scheme: write scheme: https");
        }
        this.scheme = config.scheme();
        String p = config.port() == null ? "" : config.port();
        boolean defaultPort = scheme.equals("http") && p.equals("80") || scheme.equals("https") && p.equals("443");
        this.port = p.isEmpty() || defaultPort ? "" : ":" + p;
        this.permanent = config.permanent();
        this.forcedStatus = config.forcePermanentRedirect() ? Integer.valueOf(HttpStatus.PERMANENT_REDIRECT_308) : null;
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String clientScheme = request.isSecure() ? "https" : "http";
        String proto = request.getHeaders().get(HttpHeader.X_FORWARDED_PROTO);
        if (proto != null) {
            switch (proto.toLowerCase(Locale.ROOT)) {
                case "http", "ws" -> clientScheme = "http";
                case "https", "wss" -> clientScheme = "https";
                default -> {
                }
            }
        }
        String hostPort = Redirects.host(request);
        String host = hostPort;
        String clientPort = "";
        int colon = hostPort.lastIndexOf(':');
        if (colon > hostPort.lastIndexOf(']')) {
            host = hostPort.substring(0, colon);
            clientPort = hostPort.substring(colon);
        }
        if (clientScheme.equals("http") && clientPort.equals(":80") || clientScheme.equals("https") && clientPort.equals(":443")) {
            clientPort = "";
        }
        String uri = Redirects.requestUri(request);
        String oldUrl = clientScheme + "://" + host + clientPort + uri;
        String newUrl = scheme + "://" + host + port + uri;
        if (newUrl.equals(oldUrl)) {
            return next.handle(request, response, callback);
        }
        int status = forcedStatus != null ? forcedStatus : Redirects.status(request.getMethod(), permanent);
        Redirects.send(response, callback, status, newUrl);
        return true;
    }
}

package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code addPrefix}: puts {@code prefix} in front of the path ({@code /users} with prefix
 * {@code /api} reaches the backend as {@code /api/users}). An empty prefix is a configuration error,
 * as in Traefik.
 */
public final class AddPrefix implements Request.Handler {
    private final String prefix;
    private final Request.Handler next;

    public AddPrefix(Middleware.AddPrefix config, Request.Handler next) {
        if (config.prefix() == null || config.prefix().isEmpty()) {
            throw new ConfigException("prefix cannot be empty: write prefix: /api");
        }
        this.prefix = config.prefix();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String prefixed = StripPrefix.ensureLeadingSlash(prefix + (path == null ? "" : path));
        return next.handle(RewrittenRequest.withPath(request, prefixed), response, callback);
    }
}

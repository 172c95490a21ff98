package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code replacePath}: the backend sees {@code path} instead of the request's path, and
 * the original path in {@code X-Replaced-Path}. The query string is kept.
 */
public final class ReplacePath implements Request.Handler {
    static final String X_REPLACED_PATH = "X-Replaced-Path";

    private final String path;
    private final Request.Handler next;

    public ReplacePath(Middleware.ReplacePath config, Request.Handler next) {
        if (config.path() == null) {
            throw new ConfigException("path is missing: write path: /new/path");
        }
        this.path = config.path();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String current = request.getHttpURI().getPath();
        return next.handle(RewrittenRequest.withPathAndHeaders(request, path,
                h -> h.add(X_REPLACED_PATH, current == null ? "" : current)), response, callback);
    }
}

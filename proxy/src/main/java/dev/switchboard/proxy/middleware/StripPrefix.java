package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.dynamic.Middleware;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code stripPrefix}: removes the first of {@code prefixes} the path starts with, adds
 * the removed prefix as {@code X-Forwarded-Prefix} (so the backend can build links that keep it),
 * and makes an empty result {@code /}. The course's example: {@code PathPrefix(`/app1`)} with
 * {@code stripprefix.prefixes=/app1} turns {@code /app1/users/1} into {@code /users/1}.
 */
public final class StripPrefix implements Request.Handler {
    static final String X_FORWARDED_PREFIX = "X-Forwarded-Prefix";

    private final List<String> prefixes;
    private final Request.Handler next;

    public StripPrefix(Middleware.StripPrefix config, Request.Handler next) {
        this.prefixes = config.prefixes();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path != null) {
            for (String prefix : prefixes) {
                if (path.startsWith(prefix)) {
                    String stripped = ensureLeadingSlash(path.substring(prefix.length()));
                    String removed = prefix.trim();
                    return next.handle(RewrittenRequest.withPathAndHeaders(request, stripped,
                            h -> h.add(X_FORWARDED_PREFIX, removed)), response, callback);
                }
            }
        }
        return next.handle(request, response, callback);
    }

    static String ensureLeadingSlash(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}

package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.rules.GoUrlPaths;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code stripPrefix}: removes the first of {@code prefixes} the path starts with, adds
 * the removed prefix as {@code X-Forwarded-Prefix} (so the backend can build links that keep it),
 * and makes an empty result {@code /}. The course's example: {@code PathPrefix(`/app1`)} with
 * {@code stripprefix.prefixes=/app1} turns {@code /app1/users/1} into {@code /users/1}.
 *
 * <p>As in Traefik v3.2 the prefix is compared with the decoded path, and the client's encoding
 * is kept where Go keeps it: {@code /api/a%2Fb} with prefix {@code /api} reaches the server as
 * {@code /a%2Fb} ({@link GoUrlPaths#stripPrefix}).
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
                String stripped = GoUrlPaths.stripPrefix(path, prefix);
                if (stripped != null) {
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

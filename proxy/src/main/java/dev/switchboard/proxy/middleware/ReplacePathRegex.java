package dev.switchboard.proxy.middleware;

import com.google.re2j.Pattern;
import dev.switchboard.proxy.config.dynamic.Middleware;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code replacePathRegex}: when {@code regex} matches the (still encoded) path, every
 * match is replaced with {@code replacement} (Go syntax: {@code $1}, {@code ${name}}) and the old
 * path goes to {@code X-Replaced-Path}. A path that does not match passes unchanged.
 */
public final class ReplacePathRegex implements Request.Handler {
    private final Pattern regex;
    private final String replacement;
    private final Request.Handler next;

    public ReplacePathRegex(Middleware.ReplacePathRegex config, Request.Handler next) {
        this.regex = GoRegex.compile("regex", config.regex());
        this.replacement = config.replacement() == null ? "" : config.replacement().trim();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String current = request.getHttpURI().getPath();
        if (current != null && regex.matcher(current).find()) {
            String replaced = GoRegex.replaceAll(regex, current, replacement);
            return next.handle(RewrittenRequest.withPathAndHeaders(request, replaced,
                    h -> h.add(ReplacePath.X_REPLACED_PATH, current)), response, callback);
        }
        return next.handle(request, response, callback);
    }
}

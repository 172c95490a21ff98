package dev.switchboard.proxy.middleware;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.rules.GoUrlPaths;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code stripPrefixRegex}: the first expression whose match is a prefix of the path is
 * removed, the removed text goes to {@code X-Forwarded-Prefix}, and an empty result becomes
 * {@code /}. Example: {@code ^/api/v[0-9]+} turns {@code /api/v2/users} into {@code /users}. As
 * in Traefik v3.2, expressions run on the decoded path ({@link GoUrlPaths#stripRegexPrefix}).
 */
public final class StripPrefixRegex implements Request.Handler {
    private final List<Pattern> expressions = new ArrayList<>();
    private final Request.Handler next;

    public StripPrefixRegex(Middleware.StripPrefixRegex config, Request.Handler next) {
        for (String regex : config.regex()) {
            expressions.add(GoRegex.compile("regex", regex));
        }
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String raw = request.getHttpURI().getPath();
        if (raw != null) {
            String path = GoUrlPaths.decodedPath(raw);
            for (Pattern expression : expressions) {
                Matcher m = expression.matcher(path);
                if (m.find() && !m.group().isEmpty() && path.startsWith(m.group())) {
                    String prefix = m.group();
                    String stripped = GoUrlPaths.stripRegexPrefix(raw, prefix);
                    return next.handle(RewrittenRequest.withPathAndHeaders(request, stripped,
                            h -> h.add(StripPrefix.X_FORWARDED_PREFIX, prefix)), response, callback);
                }
            }
        }
        return next.handle(request, response, callback);
    }
}

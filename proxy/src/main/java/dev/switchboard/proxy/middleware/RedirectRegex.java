package dev.switchboard.proxy.middleware;

import com.google.re2j.Pattern;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code redirectRegex}: matches {@code regex} against the full URL the client asked for
 * ({@code http://host:port/path?query}) and redirects to {@code replacement} with the groups
 * expanded Go's way ({@code ${1}}). A URL that does not match, or whose replacement is itself,
 * passes through. Status rules: see {@link Redirects}; {@code statusCode} overrides them.
 */
public final class RedirectRegex implements Request.Handler {
    private final Pattern regex;
    private final String replacement;
    private final boolean permanent;
    private final Integer statusCode;
    private final Request.Handler next;

    public RedirectRegex(Middleware.RedirectRegex config, Request.Handler next) {
        this.regex = GoRegex.compile("regex", config.regex());
        if (config.replacement() == null) {
            throw new ConfigException("replacement is missing: write replacement: https://example.com/${1}");
        }
        if (config.statusCode() != null && (config.statusCode() < 300 || config.statusCode() > 399
                || HttpStatus.getMessage(config.statusCode()) == null)) {
            throw new ConfigException("statusCode " + config.statusCode() + " is not a redirection: use 301, 302, 303, 307 or 308");
        }
        this.replacement = config.replacement();
        this.permanent = config.permanent();
        this.statusCode = config.statusCode();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String scheme = request.isSecure() ? "https" : "http";
        String oldUrl = scheme + "://" + Redirects.host(request) + Redirects.requestUri(request);
        if (!regex.matcher(oldUrl).find()) {
            return next.handle(request, response, callback);
        }
        String newUrl = GoRegex.replaceAll(regex, oldUrl, replacement);
        if (newUrl.equals(oldUrl)) {
            return next.handle(request, response, callback);
        }
        int status = statusCode != null ? statusCode : Redirects.status(request.getMethod(), permanent);
        Redirects.send(response, callback, status, newUrl);
        return true;
    }
}

package dev.switchboard.proxy.api;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.internal.InternalProvider;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code dashboard@internal}: the dashboard's files. Traefik's internal router sends
 * {@code PathPrefix(`/`)} of the {@code traefik} entry point here through
 * {@code dashboard_redirect@internal} ({@code /} to {@code /dashboard/}) and
 * {@code dashboard_stripprefix@internal} (removes {@code /dashboard}), so this handler sees the
 * file's path. It also works without those middlewares: it redirects {@code /} itself (while the
 * redirectRegex middleware is not built) and strips a {@code /dashboard/} prefix still present.
 */
public final class DashboardHandler implements Request.Handler {
    private final String base;
    private final DashboardAssets assets = new DashboardAssets();

    public DashboardHandler(StaticConfig.Api api) {
        this.base = InternalProvider.basePath(api);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.status(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        String original = Request.unWrap(request).getHttpURI().getPath();
        if (original == null || original.equals(base) || original.equals(base + "/")) {
            // What dashboard_redirect@internal does in Traefik: a permanent redirect to the dashboard.
            Response.sendRedirect(request, response, callback, HttpStatus.MOVED_PERMANENTLY_301, base + "/dashboard/", true);
            return true;
        }
        if (original.equals(base + "/dashboard")) {
            // Relative links in the page need the trailing slash.
            Response.sendRedirect(request, response, callback, HttpStatus.FOUND_302, base + "/dashboard/", true);
            return true;
        }
        String path = request.getHttpURI().getPath();
        String prefix = base + "/dashboard/";
        if (path.startsWith(prefix)) {
            path = path.substring(prefix.length());
        }
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (!assets.serve(name, request.getMethod(), response, callback)) {
            Responses.notFound(response, callback);
        }
        return true;
    }
}

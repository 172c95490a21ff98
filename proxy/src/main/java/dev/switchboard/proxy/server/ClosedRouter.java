package dev.switchboard.proxy.server;

import dev.switchboard.proxy.http.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a router whose configuration is broken answers in Switchboard: the request it would have
 * matched gets {@code 404 page not found}, byte for byte what Traefik answers when no router
 * matches, and never reaches a router of lower priority.
 *
 * <p>Traefik v3.2 leaves such a router out of its muxer ({@code pkg/server/router/router.go},
 * {@code buildEntryPointHandler}: on an error, {@code continue}), so its requests fall through to
 * whatever lower-priority router matches: a {@code PathPrefix(`/admin`)} router whose
 * {@code basicAuth} cannot be built hands {@code /admin} to a {@code PathPrefix(`/`)} catch-all,
 * without authentication. Switchboard's brief rules that a broken router never lets its requests
 * fall through, so it keeps the router's rule and priority in the table with this handler instead.
 * Where there is no lower router, the client sees what Traefik shows: 404.
 */
final class ClosedRouter implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedRouter.class);

    private final String routerName;

    ClosedRouter(String routerName) {
        this.routerName = routerName;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} refused: router \"{}\" is disabled (its configuration is broken), no other router takes it",
                    request.getMethod(), request.getHttpURI().getPath(), routerName);
        }
        Responses.notFound(response, callback);
        return true;
    }

    @Override
    public String toString() {
        return "closed router " + routerName;
    }
}

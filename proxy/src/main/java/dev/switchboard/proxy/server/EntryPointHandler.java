package dev.switchboard.proxy.server;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.http.Responses;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Where requests of one entry point enter the pipeline: attaches the {@link RequestContext}, finds
 * the router by rule and priority, sets the X-Forwarded-* headers and runs the router's chain. No
 * router matches: 404. The router table is swapped atomically on reload; a request in flight keeps
 * the table it started with.
 */
public final class EntryPointHandler implements Request.Handler {
    private static final AtomicLong REQUEST_COUNT = new AtomicLong();

    private final String name;
    private final ForwardedHeaders forwardedHeaders;
    private volatile RouterTable table = RouterTable.EMPTY;

    public EntryPointHandler(String name, StaticConfig.EntryPoint config) {
        this.name = name;
        this.forwardedHeaders = new ForwardedHeaders(config.forwardedHeaders());
    }

    public String name() {
        return name;
    }

    public RouterTable table() {
        return table;
    }

    /** Replaces the routers; requests already routed finish on the old ones. */
    public void table(RouterTable newTable) {
        this.table = newTable;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RequestContext ctx = RequestContext.attach(request, name, REQUEST_COUNT.incrementAndGet());
        // As in Traefik, rules see the headers after the X-Forwarded-* handling: an untrusted client's
        // X-Forwarded-Proto: https is gone before Header(`X-Forwarded-Proto`, `https`) is tried.
        Request forwarded = forwardedHeaders.apply(request);
        RouterTable.Route route = table.match(new JettyRoutingRequest(forwarded), request.isSecure());
        if (route == null) {
            Responses.notFound(response, callback);
            return true;
        }
        ctx.routerName(route.routerName());
        if (!route.handler().handle(forwarded, response, callback)) {
            Responses.notFound(response, callback);
        }
        return true;
    }
}

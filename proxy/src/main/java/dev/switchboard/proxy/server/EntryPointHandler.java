package dev.switchboard.proxy.server;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.middleware.RewrittenRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Where requests of one entry point enter the pipeline: attaches the {@link RequestContext}, finds
 * the router by rule and priority, sets the X-Forwarded-* headers and runs the router's chain. No
 * router matches: 404. The router table is swapped atomically on reload; a request in flight keeps
 * the table it started with.
 *
 * <p>With {@code http.sanitizePath} (Traefik v3.3.6; not in v3.2, so off by default; on under the
 * {@code switchboard} profile, {@code sanitizePath} improvement) the path is
 * cleaned before routing ({@link SanitizedPath}). A {@code CONNECT} a router matches is refused
 * (405): a reverse proxy opens no tunnels.
 *
 * <p>It also applies the entry point's {@code respondingTimeouts} as Go's server does for Traefik:
 * the body must arrive within {@code readTimeout} of the request's start ({@link ClientBody}); the
 * response must be written within {@code writeTimeout} of the end of the request head, or the
 * connection closes (HTTP/1.1); and {@code idleTimeout} applies between requests only, so a server
 * that takes long to answer is not cut off by it (Jetty's idle timeout would fail the request).
 */
public final class EntryPointHandler implements Request.Handler {
    private static final AtomicLong REQUEST_COUNT = new AtomicLong();

    private final String name;
    private final ForwardedHeaders forwardedHeaders;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final boolean sanitizePath;
    private volatile RouterTable table = RouterTable.EMPTY;

    public EntryPointHandler(String name, StaticConfig.EntryPoint config) {
        this(name, config, false);
    }

    /** {@code sanitizeByDefault}: clean paths unless the entry point's {@code http.sanitizePath} says otherwise. */
    public EntryPointHandler(String name, StaticConfig.EntryPoint config, boolean sanitizeByDefault) {
        this.name = name;
        this.forwardedHeaders = new ForwardedHeaders(config.forwardedHeaders());
        this.readTimeout = config.transport().respondingTimeouts().readTimeout();
        this.writeTimeout = config.transport().respondingTimeouts().writeTimeout();
        this.sanitizePath = config.http().sanitizesPath(sanitizeByDefault);
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
        request.addIdleTimeoutListener(timeout -> false); // Go: idleTimeout is the wait between requests only
        Scheduler scheduler = request.getComponents().getScheduler();
        Request guarded = ClientBody.guard(request, EntryPointConnectionFactory.readDeadline(request, readTimeout), scheduler,
                request.getComponents().getExecutor());
        Scheduler.Task writeDeadline = writeDeadline(request, scheduler);
        if (guarded != request || writeDeadline != null) {
            callback = new Finished(callback, guarded instanceof ClientBody body ? body : null, writeDeadline);
            request = guarded;
        }
        if (sanitizePath) {
            String raw = request.getHttpURI().getPath();
            String cleaned = SanitizedPath.of(raw);
            if (cleaned != null && !cleaned.equals(raw)) {
                request = RewrittenRequest.withPath(request, cleaned);
            }
        }
        // As in Traefik, rules see the headers after the X-Forwarded-* handling: an untrusted client's
        // X-Forwarded-Proto: https is gone before Header(`X-Forwarded-Proto`, `https`) is tried.
        Request forwarded = forwardedHeaders.apply(request);
        RouterTable.Route route = table.match(new JettyRoutingRequest(forwarded), request.isSecure());
        if (route == null) {
            Responses.notFound(response, callback);
            return true;
        }
        if (!(route.handler() instanceof ClosedRouter)) {
            ctx.routerName(route.routerName()); // a closed router's 404 is logged as Traefik logs "no router"
        }
        if (HttpMethod.CONNECT.is(request.getMethod())) {
            // A reverse proxy opens no tunnels: Traefik would pass the CONNECT on to the server, whose
            // answer it cannot relay as a tunnel either. Refused here, and the connection closed.
            Responses.clientError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Method Not Allowed");
            return true;
        }
        if (!route.handler().handle(forwarded, response, callback)) {
            Responses.notFound(response, callback);
        }
        return true;
    }

    /**
     * Go's {@code WriteTimeout}: the response must be written within it from the end of the request
     * head; after that, writes fail and the connection is closed, whatever was sent. HTTP/1.1 only.
     */
    private Scheduler.Task writeDeadline(Request request, Scheduler scheduler) {
        if (writeTimeout == null || writeTimeout.isZero() || writeTimeout.isNegative()
                || !(request.getConnectionMetaData().getConnection() instanceof HttpConnection connection)) {
            return null;
        }
        return scheduler.schedule(() -> connection.getEndPoint().close(
                new TimeoutException("response not written within writeTimeout")), writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the exchange's deadlines when it completes. */
    private static final class Finished extends Callback.Nested {
        private final ClientBody body;
        private final Scheduler.Task writeDeadline;

        Finished(Callback callback, ClientBody body, Scheduler.Task writeDeadline) {
            super(callback);
            this.body = body;
            this.writeDeadline = writeDeadline;
        }

        private void finish() {
            if (body != null) {
                body.finish();
            }
            if (writeDeadline != null) {
                writeDeadline.cancel();
            }
        }

        @Override
        public void succeeded() {
            finish();
            super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            finish();
            super.failed(x);
        }
    }
}

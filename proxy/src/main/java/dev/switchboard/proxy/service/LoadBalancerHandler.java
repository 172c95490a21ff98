package dev.switchboard.proxy.service;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.server.RequestContext;
import dev.switchboard.proxy.server.Responses;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of a {@code loadBalancer} service: picks an available server with the service's
 * {@link Selector} and forwards to it. When every server is down it answers 503
 * {@code no available server}, as Traefik does.
 *
 * <p>Better than Traefik: a request that failed before reaching its server (connection refused,
 * host unreachable), or an idempotent request without a body whose connection broke before any
 * response came back, is sent once more to another server. So killing one replica of several does
 * not turn into client errors while health checks catch up.
 */
public final class LoadBalancerHandler implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerHandler.class);
    private static final Set<String> IDEMPOTENT = Set.of(HttpMethod.GET.asString(), HttpMethod.HEAD.asString(),
            HttpMethod.OPTIONS.asString(), HttpMethod.TRACE.asString(), HttpMethod.PUT.asString(),
            HttpMethod.DELETE.asString());

    private final String serviceName;
    private final List<ServerState> servers;
    private final Map<ServerState, URI> urls;
    private final Selector selector;
    private final Forwarder forwarder;
    private final boolean passHostHeader;
    private final boolean preservePath;
    private final Duration responseHeaderTimeout;

    public LoadBalancerHandler(String serviceName, Map<ServerState, URI> urls, Selector selector, Forwarder forwarder,
            boolean passHostHeader, boolean preservePath, Duration responseHeaderTimeout) {
        this.serviceName = serviceName;
        this.servers = List.copyOf(urls.keySet());
        this.urls = Map.copyOf(urls);
        this.selector = selector;
        this.forwarder = forwarder;
        this.passHostHeader = passHostHeader;
        this.preservePath = preservePath;
        this.responseHeaderTimeout = responseHeaderTimeout;
    }

    public String serviceName() {
        return serviceName;
    }

    public List<ServerState> servers() {
        return servers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RequestContext ctx = RequestContext.of(request);
        if (ctx != null) {
            ctx.serviceName(serviceName);
        }
        attempt(request, response, callback, ctx, null);
        return true;
    }

    private void attempt(Request request, Response response, Callback callback, RequestContext ctx, Set<ServerState> tried) {
        ServerState server = selector.select(request, s -> s.available() && (tried == null || !tried.contains(s)));
        if (server == null) {
            if (tried == null) {
                Responses.text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "no available server\n");
            } else {
                // Every other server was tried already: answer as the last failure would have.
                Responses.status(response, callback, HttpStatus.BAD_GATEWAY_502);
            }
            return;
        }
        if (ctx != null) {
            ctx.serverUrl(server.url());
        }
        forwarder.forward(request, response, callback,
                new Upstream(server, urls.get(server), preservePath, passHostHeader, responseHeaderTimeout,
                        new Outcome(ctx, server, tried)));
    }

    /** Whether an attempt may be repeated on another server without risk of doing the work twice. */
    static boolean safeToRetry(Request request, Throwable failure, boolean requestSent) {
        if (!requestSent || neverConnected(failure)) {
            return true;
        }
        boolean hasBody = request.getLength() > 0 || request.getHeaders().contains("Transfer-Encoding");
        return IDEMPOTENT.contains(request.getMethod()) && !hasBody && !(failure instanceof java.util.concurrent.TimeoutException);
    }

    private static boolean neverConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private final class Outcome implements Upstream.Outcome {
        private final RequestContext ctx;
        private final ServerState server;
        private final Set<ServerState> tried;

        Outcome(RequestContext ctx, ServerState server, Set<ServerState> tried) {
            this.ctx = ctx;
            this.server = server;
            this.tried = tried;
        }

        @Override
        public boolean failed(Request req, Response response, Callback callback, Throwable failure, boolean requestSent) {
            if (tried != null || !safeToRetry(req, failure, requestSent) || servers.size() < 2) {
                return false;
            }
            Set<ServerState> nowTried = new HashSet<>();
            nowTried.add(server);
            if (servers.stream().noneMatch(s -> s.available() && !nowTried.contains(s))) {
                return false;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("service {}: {} failed ({}), sending the request to another server", serviceName, server.url(),
                        failure.toString());
            }
            if (ctx != null) {
                ctx.retried();
            }
            attempt(req, response, callback, ctx, nowTried);
            return true;
        }

        @Override
        public void completed(int status, long nanos, Throwable failure) {
            if (ctx != null) {
                ctx.origin(status, nanos);
            }
        }
    }
}

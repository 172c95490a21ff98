package dev.switchboard.proxy.service;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.forward.Forwarder;
import dev.switchboard.proxy.forward.MirrorCopy;
import dev.switchboard.proxy.forward.RetryingHandler;
import dev.switchboard.proxy.forward.Upstream;
import dev.switchboard.proxy.health.PassiveHealthCheck;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.upstream.RetryableStatus;
import dev.switchboard.proxy.upstream.ServerState;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The handler of a {@code loadBalancer} service: picks a server (sticky cookie first, then the
 * service's {@link Selector}) and hands one attempt to the {@link Forwarder}. When no server can
 * take requests it answers 503 {@code no available server}, as Traefik does.
 *
 * <p>It tries nothing twice itself: a request is tried again only by a {@link RetryingHandler}
 * above (the {@code retry} middleware, or the switchboard profile's automatic re-send), which runs
 * the service again; the balancer then records where each attempt went and, when the retry policy
 * prefers it, picks a server the request has not tried. What the attempt shows of the server goes
 * to the {@link PassiveHealthCheck} and, as response times, to the selector.
 *
 * <p>With the {@code passiveRefused} improvement, servers out only because of the passive check are
 * still tried when no other server is available (they may have come back, and a refused connection
 * costs little).
 */
public final class LoadBalancerHandler implements ServiceHandler {

    /** One server of the service as configured. */
    public record Server(ServerState state, URI base, String configuredUrl, boolean preservePath) {
    }

    /**
     * How the service talks to its servers.
     *
     * @param passHostHeader        whether the client's Host header is sent (else the server's)
     * @param responseHeaderTimeout how long to wait for response headers (zero: no limit)
     * @param lastResort            whether servers out only by the passive check are tried when none is available
     */
    public record Settings(boolean passHostHeader, Duration responseHeaderTimeout, boolean lastResort) {
    }

    private final String serviceName;
    private final List<ServerState> servers;
    private final Map<ServerState, Server> byState;
    private final Selector selector;
    private final Forwarder forwarder;
    private final Settings settings;
    private final StickyCookie<ServerState> sticky;
    private final PassiveHealthCheck passive;

    /**
     * @param sticky  the sticky cookie, or null
     * @param passive the passive health check of the service
     */
    public LoadBalancerHandler(String serviceName, List<Server> servers, Selector selector, Forwarder forwarder,
            Settings settings, StickyCookie<ServerState> sticky, PassiveHealthCheck passive) {
        this.serviceName = serviceName;
        Map<ServerState, Server> m = new LinkedHashMap<>();
        for (Server s : servers) {
            m.put(s.state(), s);
        }
        this.byState = m;
        this.servers = List.copyOf(m.keySet());
        this.selector = selector;
        this.forwarder = forwarder;
        this.settings = settings;
        this.sticky = sticky;
        this.passive = passive;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    /** Never: the request goes to the forwarder, whose response events never block either. */
    @Override
    public boolean mayBlock() {
        return false;
    }

    public List<ServerState> servers() {
        return servers;
    }

    /** The sticky cookie, or null. */
    public StickyCookie<ServerState> sticky() {
        return sticky;
    }

    @Override
    public boolean up() {
        for (ServerState s : servers) {
            if (s.available()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        RequestContext ctx = RequestContext.of(request);
        if (ctx != null) {
            ctx.serviceName(serviceName);
        }
        RetryingHandler.Attempts attempts = RetryingHandler.Attempts.of(request);
        boolean retry = attempts != null && attempts.attempt() > 1;
        ServerState server = null;
        boolean fromCookie = false;
        if (sticky != null && !retry) {
            StickyCookie.Match<ServerState> match = sticky.match(request);
            if (match != null && match.target().available()) {
                server = match.target();
                fromCookie = !match.rewrite();
            }
        }
        if (server == null) {
            server = choose(Request.getRemoteAddr(request), attempts);
        }
        if (server == null) {
            if (retry && attempts.policy().automatic()) {
                // The re-send found no other server: the client gets the failure it would have had.
                Responses.status(response, callback, attempts.lastFailureStatus());
            } else {
                Responses.text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "no available server\n");
            }
            return true;
        }
        if (attempts != null) {
            attempts.tried(server);
        }
        if (sticky != null && !fromCookie) {
            sticky.write(response, byState.get(server).configuredUrl());
        }
        if (ctx != null) {
            ctx.serverUrl(server.url());
        }
        Server s = byState.get(server);
        forwarder.forward(request, response, callback, new Upstream(server, s.base(), s.preservePath(),
                settings.passHostHeader(), settings.responseHeaderTimeout(), attempts != null && attempts.rescues(),
                new Outcome(server, ctx)));
        return true;
    }

    /**
     * The server for this attempt: an available one (not one this request tried, when its retry
     * policy prefers that); with {@code lastResort}, one out only by the passive check; for the
     * retry middleware that prefers untried servers, finally any available server again.
     */
    private ServerState choose(String clientAddress, RetryingHandler.Attempts attempts) {
        Predicate<ServerState> fresh = s -> attempts == null || !attempts.avoid(s);
        ServerState s = selector.select(clientAddress, st -> st.available() && fresh.test(st));
        if (s == null && settings.lastResort()) {
            s = selector.select(clientAddress, st -> st.lastResort() && fresh.test(st));
        }
        if (s == null && attempts != null && !attempts.policy().automatic() && attempts.policy().avoidsTriedServers()) {
            s = selector.select(clientAddress, ServerState::available);
        }
        return s;
    }

    @Override
    public void mirror(MirrorCopy copy) {
        ServerState server = selector.select(copy.clientAddress(), ServerState::available);
        if (server == null) {
            return;
        }
        Server s = byState.get(server);
        forwarder.sendCopy(copy, new Upstream(server, s.base(), s.preservePath(), settings.passHostHeader(),
                settings.responseHeaderTimeout(), false, new Outcome(server, null)));
    }

    /** What one attempt shows: passive health, response times for the selector, the origin's status for logs. */
    private final class Outcome implements Upstream.Outcome {
        private final ServerState server;
        private final RequestContext ctx;

        Outcome(ServerState server, RequestContext ctx) {
            this.server = server;
            this.ctx = ctx;
        }

        @Override
        public void answered(int status) {
            passive.answered(server, status);
        }

        @Override
        public void responseTime(long nanos) {
            selector.responded(server, nanos);
        }

        @Override
        public void failed(Throwable failure, boolean requestSent) {
            if (failure instanceof RetryableStatus rs) {
                passive.answered(server, rs.status());
            } else {
                passive.failed(server, failure);
            }
        }

        @Override
        public void completed(int status, long nanos, Throwable failure) {
            if (ctx != null) {
                ctx.origin(status, nanos);
            }
        }
    }
}

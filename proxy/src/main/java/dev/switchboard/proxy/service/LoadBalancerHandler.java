package dev.switchboard.proxy.service;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.forward.Forwarder;
import dev.switchboard.proxy.forward.MirrorCopy;
import dev.switchboard.proxy.forward.RetryPolicy;
import dev.switchboard.proxy.forward.Upstream;
import dev.switchboard.proxy.health.PassiveHealthCheck;
import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.upstream.Failures;
import dev.switchboard.proxy.upstream.RetryableStatus;
import dev.switchboard.proxy.upstream.ServerState;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of a {@code loadBalancer} service: picks a server (sticky cookie first, then the
 * service's {@link Selector}) and forwards to it. When no server can take requests it answers 503
 * {@code no available server}, as Traefik does.
 *
 * <p>Which servers are tried, in order: available ones (healthy, weight above 0) not yet tried by
 * this request; if none, servers that are out only because of the passive check, as a last resort
 * (they may have come back, and the refused connection costs little); with the retry middleware,
 * finally any available server again (Traefik's retry may reach the same server).
 *
 * <p>Retries. Without the retry middleware Switchboard still sends a request once more, to another
 * server, when it never reached its server (connection refused, unreachable) or when an idempotent
 * request without a body lost its connection before any answer: so killing one replica of several
 * does not turn into client errors while health checks catch up (Traefik answers 502). With the
 * retry middleware the {@link RetryPolicy} on the request decides: up to {@code attempts} tries,
 * with backoff, on network errors and on the statuses it lists, each through the balancer. A body
 * is sent again only when it is buffered ({@link BufferedRequest}) or was never read.
 */
public final class LoadBalancerHandler implements ServiceHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerHandler.class);
    /** RFC 9110 section 9.2.2: methods whose repetition has the same effect as one request. */
    private static final Set<String> IDEMPOTENT = Set.of(HttpMethod.GET.asString(), HttpMethod.HEAD.asString(),
            HttpMethod.OPTIONS.asString(), HttpMethod.TRACE.asString(), HttpMethod.PUT.asString(),
            HttpMethod.DELETE.asString());

    /** One server of the service as configured. */
    public record Server(ServerState state, URI base, String configuredUrl, boolean preservePath) {
    }

    private final String serviceName;
    private final List<ServerState> servers;
    private final Map<ServerState, Server> byState;
    private final Selector selector;
    private final Forwarder forwarder;
    private final boolean passHostHeader;
    private final Duration responseHeaderTimeout;
    private final StickyCookie<ServerState> sticky;
    private final PassiveHealthCheck passive;

    /**
     * @param sticky  the sticky cookie, or null
     * @param passive the passive health check (always present: refused connections always count)
     */
    public LoadBalancerHandler(String serviceName, List<Server> servers, Selector selector, Forwarder forwarder,
            boolean passHostHeader, Duration responseHeaderTimeout, StickyCookie<ServerState> sticky,
            PassiveHealthCheck passive) {
        this.serviceName = serviceName;
        Map<ServerState, Server> m = new LinkedHashMap<>();
        for (Server s : servers) {
            m.put(s.state(), s);
        }
        this.byState = m;
        this.servers = List.copyOf(m.keySet());
        this.selector = selector;
        this.forwarder = forwarder;
        this.passHostHeader = passHostHeader;
        this.responseHeaderTimeout = responseHeaderTimeout;
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
        new Exchange(request, response, callback, ctx).next(null);
        return true;
    }

    @Override
    public void mirror(MirrorCopy copy) {
        ServerState server = selector.select(copy.clientAddress(), ServerState::available);
        if (server == null) {
            return;
        }
        Server s = byState.get(server);
        forwarder.sendCopy(copy, new Upstream(server, s.base(), s.preservePath(), passHostHeader, responseHeaderTimeout,
                false, new Upstream.Outcome() {
                    @Override
                    public boolean failed(Request request, Response response, Callback callback, Throwable failure,
                            boolean requestSent) {
                        passive.failed(server, failure);
                        return false;
                    }

                    @Override
                    public void completed(int status, long nanos, Throwable failure) {
                        passive.answered(server, status);
                    }
                }));
    }

    /** Whether the request has a body that cannot be sent again. */
    private static boolean unreplayableBody(Request request) {
        if (!BufferedRequest.hasBody(request)) {
            return false;
        }
        BufferedRequest buffered = Request.as(request, BufferedRequest.class);
        return buffered == null || !buffered.replayable();
    }

    /**
     * Whether the request could be sent to another server after it reached one: an idempotent
     * method and no body, or a buffered one. Such requests still waiting for an answer from a server
     * the health check finds down are cut short and sent elsewhere.
     */
    public static boolean repeatable(Request request) {
        return IDEMPOTENT.contains(request.getMethod()) && !unreplayableBody(request);
    }

    /**
     * Whether a failed attempt may be repeated without the retry middleware: it never reached the
     * server, or it is idempotent, bodiless (or buffered) and broke before any answer, not by a
     * timeout (a slow server should not get the same request twice).
     */
    static boolean safeToRetry(Request request, Throwable failure, boolean requestSent) {
        if (Failures.neverConnected(failure)) {
            return true;
        }
        if (unreplayableBody(request)) {
            return false;
        }
        if (!requestSent) {
            return true;
        }
        return IDEMPOTENT.contains(request.getMethod()) && !Failures.isTimeout(failure);
    }


    /** One client request through this balancer: its attempts and what they tried. */
    private final class Exchange implements Upstream.Outcome {
        private final Request request;
        private final Request attemptRequest;
        private final Response response;
        private final Callback callback;
        private final RequestContext ctx;
        private final RetryPolicy policy;
        private final HttpFields headersBefore;
        private final List<ServerState> tried = new ArrayList<>(2);
        private String clientAddress;
        private volatile ServerState current;

        Exchange(Request request, Response response, Callback callback, RequestContext ctx) {
            this.request = request;
            this.attemptRequest = new Request.Wrapper(request) {
                /**
                 * Jetty's client fails the request content when an exchange fails, even one that
                 * never connected; the request may still go to another server, so its body must
                 * stay readable. The exchange's end (a response, or a final error) settles it.
                 */
                @Override
                public void fail(Throwable failure) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("service {}: attempt failed the request content: {}", serviceName, failure.toString());
                    }
                }
            };
            this.response = response;
            this.callback = callback;
            this.ctx = ctx;
            this.policy = RetryPolicy.of(request);
            this.headersBefore = response.getHeaders().size() == 0 ? null
                    : HttpFields.build(response.getHeaders()).asImmutable();
        }

        private String clientAddress() {
            if (clientAddress == null) {
                clientAddress = Request.getRemoteAddr(request);
            }
            return clientAddress;
        }

        /** Sends the next attempt; {@code failure} is why the previous one failed (null for the first). */
        void next(Throwable failure) {
            boolean first = tried.isEmpty();
            ServerState server = null;
            boolean fromCookie = false;
            if (sticky != null && first) {
                StickyCookie.Match<ServerState> match = sticky.match(request);
                if (match != null && match.target().available()) {
                    server = match.target();
                    fromCookie = !match.rewrite();
                }
            }
            if (server == null) {
                server = choose(true);
            }
            if (server == null) {
                if (first) {
                    Responses.text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "no available server\n");
                } else {
                    // Servers went away while waiting to retry: answer as the last failure would have.
                    int status = failure instanceof RetryableStatus rs ? rs.status()
                            : Failures.isTimeout(failure) ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
                    Responses.status(response, callback, status);
                }
                return;
            }
            tried.add(server);
            current = server;
            if (sticky != null && !fromCookie) {
                sticky.write(response, byState.get(server).configuredUrl());
            }
            if (ctx != null) {
                ctx.serverUrl(server.url());
            }
            Server s = byState.get(server);
            forwarder.forward(attemptRequest, response, callback,
                    new Upstream(server, s.base(), s.preservePath(), passHostHeader, responseHeaderTimeout,
                            repeatable(request), this));
        }

        /** The next server to try, or null; {@code commit} false only asks whether there is one. */
        private ServerState choose(boolean commit) {
            Predicate<ServerState> untried = s -> !tried.contains(s);
            ServerState s = pick(commit, s1 -> s1.available() && untried.test(s1));
            if (s == null) {
                s = pick(commit, s1 -> s1.lastResort() && untried.test(s1));
            }
            if (s == null && policy != null && !tried.isEmpty()) {
                s = pick(commit, ServerState::available);
            }
            return s;
        }

        private ServerState pick(boolean commit, Predicate<ServerState> eligible) {
            if (commit) {
                return selector.select(clientAddress(), eligible);
            }
            for (ServerState s : servers) {
                if (eligible.test(s)) {
                    return s;
                }
            }
            return null;
        }

        private boolean retriesLeft() {
            return policy != null ? tried.size() < policy.attempts() && !policy.timedOut() : tried.size() < 2;
        }

        @Override
        public boolean retryOnStatus(int status) {
            return policy != null && policy.retriesStatus(status) && policy.statusRetryAllowed(request.getMethod())
                    && !unreplayableBody(request) && retriesLeft() && choose(false) != null;
        }

        @Override
        public boolean failed(Request req, Response resp, Callback cb, Throwable failure, boolean requestSent) {
            ServerState server = current;
            if (failure instanceof RetryableStatus rs) {
                passive.answered(server, rs.status());
            } else {
                passive.failed(server, failure);
            }
            if (!mayRetry(failure, requestSent) || !retriesLeft() || choose(false) == null) {
                return false;
            }
            restoreResponse();
            BufferedRequest buffered = Request.as(request, BufferedRequest.class);
            if (buffered != null) {
                buffered.rewind();
            }
            if (ctx != null) {
                ctx.retried();
            }
            long delay = policy == null ? 0 : policy.backoffMillis(tried.size());
            if (LOG.isDebugEnabled()) {
                LOG.debug("service {}: {} failed ({}); trying again in {} ms", serviceName, server.url(),
                        Failures.describe(failure), delay);
            }
            if (delay <= 0) {
                next(failure);
            } else {
                var client = forwarder.getHttpClient();
                client.getScheduler().schedule(() -> client.getExecutor().execute(() -> next(failure)), delay,
                        TimeUnit.MILLISECONDS);
            }
            return true;
        }

        private boolean mayRetry(Throwable failure, boolean requestSent) {
            if (failure instanceof RetryableStatus) {
                return true; // retryOnStatus checked the policy
            }
            if (policy == null) {
                return safeToRetry(request, failure, requestSent);
            }
            if (policy.retryOnNetworkError() && safeToRetry(request, failure, requestSent)) {
                return true;
            }
            // The failure becomes a 502 or 504: retried if the policy lists that status (as in Traefik).
            int status = Failures.isTimeout(failure) ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
            return policy.retriesStatus(status) && policy.statusRetryAllowed(request.getMethod())
                    && !unreplayableBody(request);
        }

        /** Undoes what a failed attempt may have set on the response (its headers, its sticky cookie). */
        private void restoreResponse() {
            response.setStatus(HttpStatus.OK_200);
            HttpFields.Mutable headers = response.getHeaders();
            headers.clear();
            if (headersBefore != null) {
                headers.add(headersBefore);
            }
        }

        @Override
        public void answered(int status) {
            passive.answered(current, status);
        }

        @Override
        public void responseTime(long nanos) {
            selector.responded(current, nanos);
        }

        @Override
        public void completed(int status, long nanos, Throwable failure) {
            if (ctx != null) {
                ctx.origin(status, nanos);
            }
        }
    }
}

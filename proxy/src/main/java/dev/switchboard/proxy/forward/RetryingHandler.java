package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.upstream.Failures;
import dev.switchboard.proxy.upstream.RetryableStatus;
import dev.switchboard.proxy.upstream.ServerState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a request is tried again. It wraps the rest of the pipeline below it (the
 * service, and for the retry middleware the middlewares after it) and runs it once per attempt, as
 * Traefik's retry middleware re-runs its next handler: so a retry goes through the service's
 * balancer again, and can reach another server, or another child of a {@code weighted} or
 * {@code failover} service.
 *
 * <p>The contract with the parts below is the {@link Attempts} object it puts on the request:
 * <ul>
 * <li>the {@link Forwarder} asks it, before it answers a failure (502, 504) or relays a response,
 * whether the attempt is tried again ({@link Attempts#takeOver}, {@link Attempts#retriesStatus}); if
 * so it writes nothing, and this handler runs the next attempt (after the backoff) on the same,
 * still untouched, response;</li>
 * <li>load balancers record the server each attempt goes to ({@link Attempts#tried}) and, when the
 * policy says so, prefer servers not tried yet.</li>
 * </ul>
 * A body is sent again only when nothing of it was read, or when it was buffered: for status retries
 * this handler reads it into memory first (up to a bound; a larger body streams through and is not
 * retried on status).
 */
public final class RetryingHandler implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingHandler.class);
    private static final String ATTRIBUTE = Attempts.class.getName();

    private final Request.Handler next;
    private final RetryPolicy policy;
    private final long maxBodyBytes;

    /**
     * @param next         what one attempt runs
     * @param policy       what is tried again
     * @param maxBodyBytes how much of a body is buffered for status retries (negative: no bound)
     */
    public RetryingHandler(Request.Handler next, RetryPolicy policy, long maxBodyBytes) {
        this.next = next;
        this.policy = policy;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (policy.attempts() <= 1 || Attempts.of(request) != null) {
            return next.handle(request, response, callback); // nothing to retry, or an outer retry governs
        }
        if (!policy.retriesStatuses(request) || !BufferedRequest.hasBody(request)) {
            new Attempts(this, request, response, callback).run();
            return true;
        }
        BufferedRequest.read(request, maxBodyBytes, buffered -> new Attempts(this, buffered, response, callback).run(),
                callback::failed);
        return true;
    }

    /**
     * The attempts of one client request: attached to the request, asked by the forwarder whether a
     * failed attempt is tried again, told by balancers where each attempt went.
     */
    public static final class Attempts {
        private final Request.Handler next;
        private final RetryPolicy policy;
        private final Request request;
        private final Request attemptRequest;
        private final Response response;
        private final Callback callback;
        private final RequestContext ctx;
        private final HttpFields headersBefore;
        private final long startNanos = System.nanoTime();
        private final List<ServerState> tried = new ArrayList<>(2);
        private int attempt;
        private Throwable lastFailure;

        private Attempts(RetryingHandler owner, Request request, Response response, Callback callback) {
            this.next = owner.next;
            this.policy = owner.policy;
            this.request = request;
            this.attemptRequest = new Request.Wrapper(request) {
                /**
                 * Jetty's client fails the request content when an exchange fails, even one that
                 * never connected; the request may still be tried again, so its body must stay
                 * readable. The exchange's end (a response, or a final error) settles it.
                 */
                @Override
                public void fail(Throwable failure) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("attempt failed the request content: {}", failure.toString());
                    }
                }
            };
            this.response = response;
            this.callback = callback;
            this.ctx = RequestContext.of(request);
            this.headersBefore = response.getHeaders().size() == 0 ? null
                    : HttpFields.build(response.getHeaders()).asImmutable();
            request.setAttribute(ATTRIBUTE, this);
        }

        /** The attempts on {@code request}, or null when nothing may retry it. */
        public static Attempts of(Request request) {
            return (Attempts) request.getAttribute(ATTRIBUTE);
        }

        private void run() {
            attempt++;
            try {
                if (!next.handle(attemptRequest, response, callback)) {
                    Responses.notFound(response, callback);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        }

        /** 1 for the first attempt, 2 for the first retry... */
        public int attempt() {
            return attempt;
        }

        /** The policy of these attempts. */
        public RetryPolicy policy() {
            return policy;
        }

        /** A balancer sends this attempt to {@code server}. */
        public void tried(ServerState server) {
            tried.add(server);
        }

        /** Whether {@code server} should be passed over: the policy prefers untried servers and this one was tried. */
        public boolean avoid(ServerState server) {
            return policy.avoidsTriedServers() && tried.contains(server);
        }

        /**
         * For a balancer that finds no server for a retry of the automatic re-send: the status the
         * last failure would have been answered with, so the client sees that failure, not a 503.
         */
        public int lastFailureStatus() {
            if (lastFailure instanceof RetryableStatus rs) {
                return rs.status();
            }
            return Failures.isTimeout(lastFailure) ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
        }

        private boolean attemptsLeft() {
            return attempt < policy.attempts() && !policy.timedOut(startNanos);
        }

        /** Whether a response with {@code status} is discarded and the request tried again. */
        public boolean retriesStatus(int status) {
            return attemptsLeft() && policy.retriesStatus(request, status);
        }

        /** Whether an attempt waiting on a server found down may give up, because it will be tried again. */
        public boolean rescues() {
            return attemptsLeft() && policy.rescues(request);
        }

        /**
         * The attempt failed before the client saw anything of it: returns true when the request is
         * tried again (this object then runs the next attempt; nothing must be written), false when
         * the caller answers the failure.
         *
         * @param requestSent whether the request headers had been written to the server
         */
        public boolean takeOver(Throwable failure, boolean requestSent) {
            if (!attemptsLeft() || !policy.retries(request, failure, requestSent)) {
                return false;
            }
            lastFailure = failure;
            restoreResponse();
            BufferedRequest buffered = Request.as(request, BufferedRequest.class);
            if (buffered != null) {
                buffered.rewind();
            }
            if (ctx != null) {
                ctx.retried();
            }
            long delay = policy.backoffMillis(attempt);
            if (LOG.isDebugEnabled()) {
                LOG.debug("attempt {} of {} failed ({}); trying again in {} ms", attempt, request.getHttpURI().getPath(),
                        Failures.describe(failure), delay);
            }
            if (delay <= 0) {
                run();
            } else {
                request.getComponents().getScheduler().schedule(
                        () -> request.getComponents().getThreadPool().execute(this::run), delay, TimeUnit.MILLISECONDS);
            }
            return true;
        }

        /** Undoes what a failed attempt may have set on the response (its headers, a sticky cookie). */
        private void restoreResponse() {
            response.setStatus(HttpStatus.OK_200);
            HttpFields.Mutable headers = response.getHeaders();
            headers.clear();
            if (headersBefore != null) {
                headers.add(headersBefore);
            }
        }
    }
}

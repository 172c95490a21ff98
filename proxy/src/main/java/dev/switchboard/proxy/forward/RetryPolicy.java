package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.upstream.Failures;
import dev.switchboard.proxy.upstream.RetryableStatus;
import dev.switchboard.proxy.upstream.ServerDownException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;

/**
 * What may be tried again, how often and how soon: the rules a {@link RetryingHandler} applies to
 * each failed attempt. Two kinds:
 *
 * <ul>
 * <li>{@link #middleware the retry middleware's}, with Traefik's semantics: {@code attempts} counts
 * every try including the first; a network error is retried (unless
 * {@code disableRetryOnNetworkError}) only while nothing of the request reached the server (Traefik
 * v3.2 stops retrying once the request headers are written); a response whose status is in
 * {@code status} (Traefik v3.7) is retried for idempotent methods (everything but POST, PATCH and
 * LOCK), or for any with {@code retryNonIdempotentMethod}, and only when the body could be
 * buffered; a network error the listed statuses cover (502, 504) counts as that status; no retry
 * starts after {@code timeout} (v3.7); the wait before retry n is exponential from
 * {@code initialInterval}, with a multiplier chosen so the last wait is about twice the first, and
 * ±50 % jitter (the defaults of the Go backoff library Traefik uses). With Switchboard's
 * {@code smartRetry}, a request that broke after it was sent is retried too when it is idempotent
 * and its body can be sent again, and retries prefer servers the request has not tried.</li>
 * <li>{@link #automatic the switchboard profile's re-send} without the middleware
 * ({@code autoRetry}): once, to another server, when the server refused the connection, or when an
 * idempotent request without a body (or with a buffered one) broke before any answer, not by a
 * timeout (a slow server should not get the same request twice).</li>
 * </ul>
 * Either way, with {@code rescueWaiting} an attempt abandoned because the health check found its
 * server down ({@link ServerDownException}) is tried again elsewhere.
 */
public final class RetryPolicy {
    private static final Set<String> NON_IDEMPOTENT = Set.of("POST", "PATCH", "LOCK");
    /** RFC 9110 section 9.2.2: methods whose repetition has the same effect as one request. */
    private static final Set<String> IDEMPOTENT = Set.of(HttpMethod.GET.asString(), HttpMethod.HEAD.asString(),
            HttpMethod.OPTIONS.asString(), HttpMethod.TRACE.asString(), HttpMethod.PUT.asString(),
            HttpMethod.DELETE.asString());

    private final boolean automatic;
    private final int attempts;
    private final Duration initialInterval;
    private final Duration timeout;
    private final List<int[]> statusRanges;
    private final boolean networkErrors;
    private final boolean nonIdempotentOnStatus;
    private final boolean afterSent;
    private final boolean serverDown;

    private RetryPolicy(boolean automatic, int attempts, Duration initialInterval, Duration timeout,
            List<int[]> statusRanges, boolean networkErrors, boolean nonIdempotentOnStatus, boolean afterSent,
            boolean serverDown) {
        this.automatic = automatic;
        this.attempts = attempts;
        this.initialInterval = initialInterval == null ? Duration.ZERO : initialInterval;
        this.timeout = timeout == null ? Duration.ZERO : timeout;
        this.statusRanges = List.copyOf(statusRanges);
        this.networkErrors = networkErrors;
        this.nonIdempotentOnStatus = nonIdempotentOnStatus;
        this.afterSent = afterSent;
        this.serverDown = serverDown;
    }

    /**
     * The retry middleware's policy.
     *
     * @param attempts                 tries in all, at least 1
     * @param initialInterval          the first wait (zero: retry at once)
     * @param timeout                  no retry starts later than this after the first try (zero: no limit)
     * @param statusRanges             inclusive [low, high] status ranges to retry on
     * @param networkErrors            whether to retry when the server could not be reached
     * @param nonIdempotentOnStatus    whether POST, PATCH and LOCK are retried on status too
     * @param smart                    Switchboard's {@code smartRetry}: retry idempotent requests that
     *                                 broke after they were sent, and prefer untried servers
     * @param serverDown               Switchboard's {@code rescueWaiting}: retry attempts abandoned on a
     *                                 server found down
     */
    public static RetryPolicy middleware(int attempts, Duration initialInterval, Duration timeout, List<int[]> statusRanges,
            boolean networkErrors, boolean nonIdempotentOnStatus, boolean smart, boolean serverDown) {
        return new RetryPolicy(false, attempts, initialInterval, timeout, statusRanges, networkErrors,
                nonIdempotentOnStatus, smart, serverDown);
    }

    /**
     * The re-send without the middleware: one more try, at once, to another server; on the failures
     * {@code autoRetry} covers, and with {@code serverDown} on abandoned attempts.
     */
    public static RetryPolicy automatic(boolean autoRetry, boolean serverDown) {
        return new RetryPolicy(true, 2, Duration.ZERO, Duration.ZERO, List.of(), autoRetry, false, autoRetry, serverDown);
    }

    /** Tries in all, the first included. */
    public int attempts() {
        return attempts;
    }

    /**
     * Whether this is the profile's automatic re-send: it goes only to another server, and when
     * none is left the request is answered as its last failure was.
     */
    public boolean automatic() {
        return automatic;
    }

    /** Whether retries prefer servers the request has not tried (Traefik's balancer just picks its next). */
    public boolean avoidsTriedServers() {
        return automatic || afterSent;
    }

    /** Whether responses may be retried on their status, so the body must be buffered. */
    public boolean retriesStatuses(Request request) {
        return !statusRanges.isEmpty() && statusAllowed(request.getMethod());
    }

    /** Whether the time for retries is over ({@code startNanos}: the first try). */
    public boolean timedOut(long startNanos) {
        return !timeout.isZero() && System.nanoTime() - startNanos >= timeout.toNanos();
    }

    /** Whether a response with {@code status} to {@code request} is discarded and tried again. */
    public boolean retriesStatus(Request request, int status) {
        return inRanges(status) && statusAllowed(request.getMethod()) && !unreplayableBody(request);
    }

    /** Whether an attempt that failed with {@code failure} is tried again (attempts and time permitting). */
    public boolean retries(Request request, Throwable failure, boolean requestSent) {
        if (failure instanceof RetryableStatus) {
            return true; // retriesStatus decided it
        }
        if (failure instanceof ServerDownException) {
            return serverDown && repeatable(request);
        }
        if (networkErrors) {
            if (Failures.neverConnected(failure) || (!requestSent && !unreplayableBody(request))) {
                return true; // nothing reached the server
            }
            if (afterSent && repeatable(request) && !Failures.isTimeout(failure)) {
                return true;
            }
        }
        // The failure becomes a 502 or 504: retried if the policy lists that status (as in Traefik).
        int status = Failures.isTimeout(failure) ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
        return retriesStatus(request, status);
    }

    /**
     * Whether {@code request} waiting on a server found down may give up and be tried again:
     * {@code rescueWaiting} is on and the request can be repeated.
     */
    public boolean rescues(Request request) {
        return serverDown && repeatable(request);
    }

    /** Milliseconds to wait before retry number {@code retry} (1 for the first retry). */
    public long backoffMillis(int retry) {
        if (attempts < 2 || initialInterval.isZero() || initialInterval.isNegative()) {
            return 0;
        }
        double multiplier = Math.pow(2, 1.0 / (attempts - 1));
        double interval = initialInterval.toMillis() * Math.pow(multiplier, retry - 1);
        double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * 0.5;
        return Math.round(Math.min(interval, 60_000) * jitter);
    }

    private boolean inRanges(int status) {
        for (int[] r : statusRanges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** Traefik's idempotency rule for status retries. */
    private boolean statusAllowed(String method) {
        return nonIdempotentOnStatus || !NON_IDEMPOTENT.contains(method);
    }

    /** Whether the request has a body that cannot be sent again. */
    static boolean unreplayableBody(Request request) {
        if (!BufferedRequest.hasBody(request)) {
            return false;
        }
        BufferedRequest buffered = Request.as(request, BufferedRequest.class);
        return buffered == null || !buffered.replayable();
    }

    /**
     * Whether the request could be sent to another server after it reached one: an idempotent
     * method and no body, or a buffered one.
     */
    static boolean repeatable(Request request) {
        return IDEMPOTENT.contains(request.getMethod()) && !unreplayableBody(request);
    }

    /**
     * Parses Traefik status ranges: {@code "500-599"}, {@code "502"}, also several separated by
     * commas. Throws {@link IllegalArgumentException} naming the bad entry.
     */
    public static List<int[]> parseStatusRanges(List<String> entries) {
        java.util.ArrayList<int[]> out = new java.util.ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                String[] ends = p.split("-", -1);
                try {
                    int low = Integer.parseInt(ends[0].trim());
                    int high = ends.length == 1 ? low : Integer.parseInt(ends[1].trim());
                    if (ends.length > 2 || low < 100 || high > 599 || low > high) {
                        throw new NumberFormatException();
                    }
                    out.add(new int[] {low, high});
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("status \"" + p
                            + "\" is not a status code or range: write a code (502) or a range (500-599)");
                }
            }
        }
        return out;
    }
}

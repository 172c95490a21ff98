package dev.switchboard.proxy.forward;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Request;

/**
 * How many times, and on what, the load balancer may send one request again: set on the request by
 * the {@code retry} middleware and read by the load balancer ({@code LoadBalancerHandler}), so each attempt goes
 * through the balancer and may reach another server (Traefik's retry middleware re-runs the
 * handler chain below it, which also re-balances).
 *
 * <p>Semantics are Traefik's: {@code attempts} counts every try including the first; network
 * errors are retried unless {@code disableRetryOnNetworkError}; responses whose status is in
 * {@code status} are retried for idempotent methods (everything but POST, PATCH and LOCK) or for any
 * method with {@code retryNonIdempotentMethod}, and only when the body could be buffered; no retry
 * starts after {@code timeout}; the wait before retry n is exponential from
 * {@code initialInterval}, with a multiplier chosen so the last wait is about twice the first, and
 * ±50 % jitter (the defaults of the Go backoff library Traefik uses).
 */
public final class RetryPolicy {
    /** The request attribute that carries the policy. */
    public static final String ATTRIBUTE = RetryPolicy.class.getName();
    private static final Set<String> NON_IDEMPOTENT = Set.of("POST", "PATCH", "LOCK");

    private final int attempts;
    private final Duration initialInterval;
    private final Duration timeout;
    private final List<int[]> statusRanges;
    private final boolean retryOnNetworkError;
    private final boolean retryNonIdempotentMethod;
    private final long startNanos;

    /**
     * @param attempts                 tries in all, at least 1
     * @param initialInterval          the first wait (zero: retry at once)
     * @param timeout                  no retry starts later than this after the first try (zero: no limit)
     * @param statusRanges             inclusive [low, high] status ranges to retry on
     * @param retryOnNetworkError      whether to retry when the server could not be reached or broke the connection
     * @param retryNonIdempotentMethod whether POST, PATCH and LOCK are retried on status too
     * @param startNanos               when the first try started ({@link System#nanoTime})
     */
    public RetryPolicy(int attempts, Duration initialInterval, Duration timeout, List<int[]> statusRanges,
            boolean retryOnNetworkError, boolean retryNonIdempotentMethod, long startNanos) {
        this.attempts = attempts;
        this.initialInterval = initialInterval == null ? Duration.ZERO : initialInterval;
        this.timeout = timeout == null ? Duration.ZERO : timeout;
        this.statusRanges = List.copyOf(statusRanges);
        this.retryOnNetworkError = retryOnNetworkError;
        this.retryNonIdempotentMethod = retryNonIdempotentMethod;
        this.startNanos = startNanos;
    }

    /** The policy attached to {@code request}, or null. */
    public static RetryPolicy of(Request request) {
        return (RetryPolicy) request.getAttribute(ATTRIBUTE);
    }

    public void attachTo(Request request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    /** Tries in all, the first included. */
    public int attempts() {
        return attempts;
    }

    public boolean retryOnNetworkError() {
        return retryOnNetworkError;
    }

    /** Whether {@code status} is one to retry on. */
    public boolean retriesStatus(int status) {
        for (int[] r : statusRanges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    public boolean hasStatusRanges() {
        return !statusRanges.isEmpty();
    }

    /** Whether responses to {@code method} may be retried on their status (Traefik's idempotency rule). */
    public boolean statusRetryAllowed(String method) {
        return retryNonIdempotentMethod || !NON_IDEMPOTENT.contains(method);
    }

    /** Whether the time for retries is over. */
    public boolean timedOut() {
        return !timeout.isZero() && System.nanoTime() - startNanos >= timeout.toNanos();
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

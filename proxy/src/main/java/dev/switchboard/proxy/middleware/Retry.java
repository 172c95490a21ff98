package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.forward.RetryPolicy;
import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.http.Responses;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code retry} middleware: tries a request up to {@code attempts} times, waiting an
 * exponential backoff from {@code initialInterval} between tries, on network errors (unless
 * {@code disableRetryOnNetworkError}) and on the response statuses in {@code status}; POST, PATCH
 * and LOCK are retried on status only with {@code retryNonIdempotentMethod}; no retry starts after
 * {@code timeout}.
 *
 * <p>How: the middleware does not call the service several times itself. It attaches a
 * {@link RetryPolicy} to the request, and the load balancer below makes the attempts, each through
 * its strategy, preferring servers this request has not tried. When status retries are possible
 * the body is read into memory first, up to {@code maxRequestBodyBytes} (Traefik's default, 2 MiB;
 * negative means no bound), so it can be sent again; a larger body streams through and is not
 * retried on status. Each retry counts in the access log's {@code RetryAttempts}.
 */
public final class Retry implements Request.Handler {
    /** Traefik's {@code RetryDefaultMaxRequestBodyBytes}. */
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 2L * 1024 * 1024;

    private final Middleware.Retry config;
    private final List<int[]> statusRanges;
    private final long maxBodyBytes;
    private final Request.Handler next;

    public Retry(Middleware.Retry config, Request.Handler next) {
        if (config.attempts() == null || config.attempts() <= 0) {
            throw new ConfigException("attempts must be at least 1, got " + config.attempts()
                    + " (for example attempts: 3 tries a request up to three times)");
        }
        try {
            this.statusRanges = RetryPolicy.parseStatusRanges(config.status());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (statusRanges.isEmpty() && config.disableRetryOnNetworkError()) {
            throw new ConfigException("with disableRetryOnNetworkError, give status codes to retry on (status: [\"500-599\"]),"
                    + " otherwise nothing is ever retried");
        }
        if (config.initialInterval() != null && config.initialInterval().isNegative()) {
            throw new ConfigException("initialInterval must not be negative");
        }
        this.config = config;
        this.maxBodyBytes = config.maxRequestBodyBytes() == null ? DEFAULT_MAX_REQUEST_BODY_BYTES
                : config.maxRequestBodyBytes();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (config.attempts() == 1) {
            return next.handle(request, response, callback);
        }
        RetryPolicy policy = new RetryPolicy(config.attempts(), config.initialInterval(), config.timeout(), statusRanges,
                !config.disableRetryOnNetworkError(), config.retryNonIdempotentMethod(), System.nanoTime());
        policy.attachTo(request);
        boolean statusRetry = policy.hasStatusRanges() && policy.statusRetryAllowed(request.getMethod());
        if (!statusRetry || !BufferedRequest.hasBody(request)) {
            return next.handle(request, response, callback);
        }
        BufferedRequest.read(request, maxBodyBytes, buffered -> {
            try {
                if (!next.handle(buffered, response, callback)) {
                    Responses.notFound(response, callback);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        }, callback::failed);
        return true;
    }
}

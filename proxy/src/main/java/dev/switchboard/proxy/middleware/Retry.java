package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.Behaviour;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Improvement;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.forward.RetryPolicy;
import dev.switchboard.proxy.forward.RetryingHandler;
import java.util.List;
import org.eclipse.jetty.server.Request;

/**
 * Traefik's {@code retry} middleware: tries a request up to {@code attempts} times, waiting an
 * exponential backoff from {@code initialInterval} between tries, on network errors that happened
 * before the request reached a server (unless {@code disableRetryOnNetworkError}) and, since
 * Traefik v3.7, on the response statuses in {@code status} (POST, PATCH and LOCK only with
 * {@code retryNonIdempotentMethod}) until {@code timeout}. The semantics are {@link RetryPolicy}'s,
 * the attempts are {@link RetryingHandler}'s: each one runs the rest of the router's chain and its
 * service again, so it goes through the balancer and may reach another server, or another child of
 * a weighted or failover service, as in Traefik.
 *
 * <p>When status retries are possible the body is read into memory first, up to
 * {@code maxRequestBodyBytes} (Traefik's default, 2 MiB; negative means no bound), so it can be sent
 * again; a larger body streams through and is not retried on status. Each retry counts in the
 * access log's {@code RetryAttempts}.
 */
public final class Retry {
    /** Traefik's {@code RetryDefaultMaxRequestBodyBytes}. */
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 2L * 1024 * 1024;

    private Retry() {
    }

    /** The handler of {@code config} in front of {@code next}; {@link ConfigException} for bad options. */
    public static Request.Handler build(Middleware.Retry config, Request.Handler next, Behaviour behaviour) {
        if (config.attempts() == null || config.attempts() <= 0) {
            throw new ConfigException("attempts must be at least 1, got " + config.attempts()
                    + " (for example attempts: 3 tries a request up to three times)");
        }
        List<int[]> statusRanges;
        try {
            statusRanges = RetryPolicy.parseStatusRanges(config.status());
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
        RetryPolicy policy = RetryPolicy.middleware(config.attempts(), config.initialInterval(), config.timeout(),
                statusRanges, !config.disableRetryOnNetworkError(), config.retryNonIdempotentMethod(),
                behaviour.on(Improvement.SMART_RETRY), behaviour.on(Improvement.RESCUE_WAITING));
        long maxBodyBytes = config.maxRequestBodyBytes() == null ? DEFAULT_MAX_REQUEST_BODY_BYTES : config.maxRequestBodyBytes();
        return new RetryingHandler(next, policy, maxBodyBytes);
    }
}

package dev.switchboard.proxy.middleware;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code rateLimit}: a token bucket per source (client IP by default, see
 * {@link ClientIp#source}) that refills at {@code average} requests per {@code period} (default 1 s)
 * and holds up to {@code burst} (default 1). {@code average: 0} means no limit.
 *
 * <p>As Traefik (golang.org/x/time/rate reservations): a request that finds the bucket empty but
 * would get a token soon is delayed rather than refused, by at most half the interval between two
 * tokens (or 500 ms when the rate is below one per second). Beyond that it is refused with 429
 * {@code Too Many Requests}, {@code Retry-After} (whole seconds, rounded up) and {@code X-Retry-In}.
 * Buckets of sources not seen for a while are forgotten.
 */
public final class RateLimit implements Request.Handler {
    private final double ratePerSecond;
    private final long burst;
    private final long maxDelayNanos;
    private final Function<Request, String> source;
    private final Cache<String, Bucket> buckets;
    private final LongSupplier clock;
    private final Request.Handler next;

    public RateLimit(Middleware.RateLimit config, Request.Handler next) {
        this(config, next, System::nanoTime);
    }

    RateLimit(Middleware.RateLimit config, Request.Handler next, LongSupplier clock) {
        if (config.period().isNegative()) {
            throw new ConfigException("negative value not valid for period: " + config.period());
        }
        if (config.average() < 0) {
            throw new ConfigException("average must be 0 (no limit) or more, not " + config.average());
        }
        Duration period = config.period().isZero() ? Duration.ofSeconds(1) : config.period();
        this.ratePerSecond = config.average() == 0 ? Double.POSITIVE_INFINITY
                : config.average() * 1e9 / period.toNanos();
        this.burst = Math.max(config.burst(), 1);
        if (Double.isInfinite(ratePerSecond)) {
            this.maxDelayNanos = 0;
        } else if (ratePerSecond < 1) {
            this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(500);
        } else {
            this.maxDelayNanos = (long) (1e9 / ((long) ratePerSecond * 2));
        }
        this.source = ClientIp.source(config.sourceCriterion(), false);
        long ttlSeconds = ratePerSecond >= 1 ? 2 : 1 + (long) (1 / ratePerSecond);
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofSeconds(Math.max(ttlSeconds, 2) + burst))
                .maximumSize(1_000_000).build();
        this.clock = clock;
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (Double.isInfinite(ratePerSecond)) {
            return next.handle(request, response, callback);
        }
        Bucket bucket = buckets.get(source.apply(request), k -> new Bucket(burst, clock.getAsLong()));
        long delay = bucket.reserve(clock.getAsLong(), ratePerSecond, burst, maxDelayNanos);
        if (delay < 0) {
            long wait = -delay;
            tooManyRequests(response, callback, wait);
            return true;
        }
        if (delay == 0) {
            return next.handle(request, response, callback);
        }
        request.getComponents().getScheduler().schedule(() -> {
            try {
                if (!next.handle(request, response, callback)) {
                    Responses.notFound(response, callback);
                }
            } catch (Throwable t) {
                callback.failed(t);
            }
        }, delay, TimeUnit.NANOSECONDS);
        return true;
    }

    private static void tooManyRequests(Response response, Callback callback, long waitNanos) {
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS_429);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString((long) Math.ceil(waitNanos / 1e9)));
        response.getHeaders().put("X-Retry-In", goDuration(waitNanos));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        byte[] body = "Too Many Requests".getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Go's {@code time.Duration.String}, roughly: {@code 1.5s}, {@code 250ms}. */
    static String goDuration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return trim(nanos / 1e9) + "s";
        }
        if (nanos >= 1_000_000L) {
            return trim(nanos / 1e6) + "ms";
        }
        return trim(nanos / 1e3) + "µs";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** One source's tokens; reservations may take it below zero, as x/time/rate does. */
    static final class Bucket {
        private double tokens;
        private long last;

        Bucket(long burst, long now) {
            this.tokens = burst;
            this.last = now;
        }

        /**
         * Takes a token: 0 when one is there, the wait in nanoseconds when one comes within
         * {@code maxDelay}, or minus the wait when it comes later (nothing is taken then).
         */
        synchronized long reserve(long now, double ratePerSecond, long burst, long maxDelayNanos) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * ratePerSecond);
            last = now;
            double after = tokens - 1;
            if (after >= 0) {
                tokens = after;
                return 0;
            }
            long wait = (long) Math.ceil(-after / ratePerSecond * 1e9);
            if (wait > maxDelayNanos) {
                return -wait;
            }
            tokens = after;
            return wait;
        }
    }
}

package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code circuitBreaker} (vulcand/oxy's state machine): while <em>closed</em>, requests
 * pass and their outcomes are counted over the last 10 seconds; every {@code checkPeriod} (100 ms)
 * the {@code expression} is evaluated on those figures. When it holds, the breaker <em>opens</em>:
 * for {@code fallbackDuration} (10 s) every request is answered by the proxy with
 * {@code responseCode} (503 {@code Service Unavailable}) without reaching the service. Then it is
 * <em>recovering</em> for {@code recoveryDuration} (10 s): a growing share of requests (0 to 100%)
 * goes through again; if the expression holds again the breaker re-opens, else it closes.
 *
 * <p>{@code NetworkErrorRatio()} counts 502 and 504 answers (the proxy's own answers when a server
 * cannot be reached or is too slow) over all requests. State is per router, as in Traefik.
 */
public final class CircuitBreaker implements Request.Handler {
    /** Where the breaker is. */
    public enum State { CLOSED, OPEN, RECOVERING }

    private final CircuitBreakerExpression.Condition condition;
    private final long checkPeriod;
    private final long fallbackDuration;
    private final long recoveryDuration;
    private final int responseCode;
    private final LongSupplier clock;
    private final RollingMetrics metrics;
    private final Request.Handler next;

    private State state = State.CLOSED;
    private long until;
    private long recoveryStart;
    private long lastCheck;

    public CircuitBreaker(Middleware.CircuitBreaker config, Request.Handler next) {
        this(config, next, System::nanoTime);
    }

    CircuitBreaker(Middleware.CircuitBreaker config, Request.Handler next, LongSupplier clock) {
        this.condition = CircuitBreakerExpression.parse(config.expression());
        if (config.responseCode() < 100 || config.responseCode() > 599) {
            throw new ConfigException("responseCode " + config.responseCode() + " is not an HTTP status code");
        }
        this.checkPeriod = positive(config.checkPeriod().toNanos(), 100_000_000L);
        this.fallbackDuration = positive(config.fallbackDuration().toNanos(), 10_000_000_000L);
        this.recoveryDuration = positive(config.recoveryDuration().toNanos(), 10_000_000_000L);
        this.responseCode = config.responseCode();
        this.clock = clock;
        this.metrics = new RollingMetrics(clock);
        this.lastCheck = clock.getAsLong();
        this.next = next;
    }

    private static long positive(long value, long fallback) {
        return value > 0 ? value : fallback;
    }

    /** The state now (after any timed transition). */
    public synchronized State state() {
        advance(clock.getAsLong());
        return state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!admit()) {
            String reason = HttpStatus.getMessage(responseCode);
            Responses.text(response, callback, responseCode, reason == null ? String.valueOf(responseCode) : reason);
            return true;
        }
        long start = clock.getAsLong();
        Callback counting = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                record(response.getStatus(), start);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                record(response.isCommitted() ? response.getStatus() : HttpStatus.BAD_GATEWAY_502, start);
                super.failed(x);
            }
        };
        if (!next.handle(request, response, counting)) {
            Responses.notFound(response, counting);
        }
        return true;
    }

    private synchronized boolean admit() {
        long now = clock.getAsLong();
        advance(now);
        return switch (state) {
            case OPEN -> false;
            case CLOSED -> true;
            case RECOVERING -> {
                double share = (double) (now - recoveryStart) / recoveryDuration;
                yield ThreadLocalRandom.current().nextDouble() < share;
            }
        };
    }

    private void advance(long now) {
        if (state == State.OPEN && now - until >= 0) {
            state = State.RECOVERING;
            recoveryStart = now;
            until = now + recoveryDuration;
            metrics.reset();
        }
        if (state == State.RECOVERING && now - until >= 0) {
            state = State.CLOSED;
            metrics.reset();
        }
    }

    private void record(int status, long start) {
        long now = clock.getAsLong();
        metrics.record(status, now - start);
        synchronized (this) {
            if (state == State.OPEN || now - lastCheck < checkPeriod) {
                return;
            }
            lastCheck = now;
            if (condition.test(metrics)) {
                state = State.OPEN;
                until = now + fallbackDuration;
                metrics.reset();
            }
        }
    }

    /** Counts of the last 10 seconds in one-second buckets, as oxy's RTMetrics. */
    static final class RollingMetrics implements CircuitBreakerExpression.Metrics {
        private static final int BUCKETS = 10;
        private static final int SAMPLES = 256;
        private final LongSupplier clock;
        private final long[] second = new long[BUCKETS];
        private final int[][] codes = new int[BUCKETS][600];
        private final long[][] latencies = new long[BUCKETS][SAMPLES];
        private final int[] latencyCount = new int[BUCKETS];

        RollingMetrics(LongSupplier clock) {
            this.clock = clock;
            Arrays.fill(second, Long.MIN_VALUE);
        }

        synchronized void reset() {
            Arrays.fill(second, Long.MIN_VALUE);
        }

        private int bucket(long nowSecond) {
            int i = (int) Math.floorMod(nowSecond, BUCKETS);
            if (second[i] != nowSecond) {
                second[i] = nowSecond;
                Arrays.fill(codes[i], 0);
                latencyCount[i] = 0;
            }
            return i;
        }

        synchronized void record(int status, long latencyNanos) {
            int i = bucket(Math.floorDiv(clock.getAsLong(), 1_000_000_000L));
            if (status >= 0 && status < 600) {
                codes[i][status]++;
            }
            int n = latencyCount[i];
            if (n < SAMPLES) {
                latencies[i][n] = latencyNanos;
                latencyCount[i] = n + 1;
            } else {
                int slot = ThreadLocalRandom.current().nextInt(n + 1);
                if (slot < SAMPLES) {
                    latencies[i][slot] = latencyNanos;
                }
                latencyCount[i] = n + 1;
            }
        }

        private boolean live(int i, long nowSecond) {
            return second[i] != Long.MIN_VALUE && nowSecond - second[i] < BUCKETS;
        }

        private long count(int from, int to) {
            long nowSecond = Math.floorDiv(clock.getAsLong(), 1_000_000_000L);
            long n = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (live(i, nowSecond)) {
                    for (int c = Math.max(from, 0); c < Math.min(to, 600); c++) {
                        n += codes[i][c];
                    }
                }
            }
            return n;
        }

        @Override
        public synchronized double networkErrorRatio() {
            long total = count(0, 600);
            return total == 0 ? 0 : (double) (count(502, 503) + count(504, 505)) / total;
        }

        @Override
        public synchronized double responseCodeRatio(int from, int to, int dividedFrom, int dividedTo) {
            long divisor = count(dividedFrom, dividedTo);
            return divisor == 0 ? 0 : (double) count(from, to) / divisor;
        }

        @Override
        public synchronized double latencyAtQuantileMs(double quantile) {
            long nowSecond = Math.floorDiv(clock.getAsLong(), 1_000_000_000L);
            int total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (live(i, nowSecond)) {
                    total += Math.min(latencyCount[i], SAMPLES);
                }
            }
            if (total == 0) {
                return 0;
            }
            long[] all = new long[total];
            int k = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (live(i, nowSecond)) {
                    int n = Math.min(latencyCount[i], SAMPLES);
                    System.arraycopy(latencies[i], 0, all, k, n);
                    k += n;
                }
            }
            Arrays.sort(all);
            int index = (int) Math.ceil(quantile / 100.0 * total) - 1;
            return all[Math.max(0, Math.min(total - 1, index))] / 1e6;
        }
    }
}

package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code inFlightReq}: at most {@code amount} requests of one source (by default the
 * request's Host, as in Traefik; see {@link ClientIp#source}) are served at the same time; one more
 * gets 429 {@code Too Many Requests} at once. A request counts until its response is complete.
 */
public final class InFlightReq implements Request.Handler {
    private final long amount;
    private final Function<Request, String> source;
    private final ConcurrentHashMap<String, AtomicLong> inFlight = new ConcurrentHashMap<>();
    private final Request.Handler next;

    public InFlightReq(Middleware.InFlightReq config, Request.Handler next) {
        if (config.amount() <= 0) {
            throw new ConfigException("amount must be more than 0: write amount: 10");
        }
        this.amount = config.amount();
        this.source = ClientIp.source(config.sourceCriterion(), true);
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String key = source.apply(request);
        long[] now = new long[1];
        inFlight.compute(key, (k, c) -> {
            AtomicLong n = c == null ? new AtomicLong() : c;
            now[0] = n.incrementAndGet();
            return n;
        });
        if (now[0] > amount) {
            release(key);
            Responses.status(response, callback, HttpStatus.TOO_MANY_REQUESTS_429);
            return true;
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable releaseOnce = () -> {
            if (released.compareAndSet(false, true)) {
                release(key);
            }
        };
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                releaseOnce.run();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                releaseOnce.run();
                super.failed(x);
            }
        };
        try {
            if (!next.handle(request, response, done)) {
                Responses.notFound(response, done);
            }
        } catch (Throwable t) {
            done.failed(t);
        }
        return true;
    }

    private void release(String key) {
        inFlight.computeIfPresent(key, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    /** Requests of {@code source} being served now (for tests and the curious). */
    long inFlight(String key) {
        AtomicLong c = inFlight.get(key);
        return c == null ? 0 : c.get();
    }
}

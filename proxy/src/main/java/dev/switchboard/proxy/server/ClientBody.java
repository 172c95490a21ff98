package dev.switchboard.proxy.server;

import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.http.ClientRequestException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The client's request body as the pipeline reads it, with the two rules Traefik's entry points
 * (Go's {@code net/http} server) apply to it:
 *
 * <ul>
 *   <li><b>readTimeout.</b> The whole request, body included, must arrive within
 *       {@code respondingTimeouts.readTimeout} of its start (Go's {@code ReadTimeout}, a read deadline
 *       on the connection). A body still arriving then fails its next read; Traefik answers
 *       {@code 499 Client Closed Request} (Go cancels the request when the read fails) and the
 *       connection closes.
 *   <li><b>The client's faults are the client's.</b> A body that breaks its own framing (a bad chunk
 *       size) or stops because the client went away fails with a {@link ClientRequestException}
 *       (400 or 499), so that whoever forwards the body answers that instead of 502, and the server
 *       is neither marked failing nor retried.
 * </ul>
 *
 * A read that fails, fails for good: later reads return the same failure.
 */
final class ClientBody extends Request.Wrapper {
    private final Executor executor;
    private final AtomicReference<Runnable> demand = new AtomicReference<>();
    private volatile Scheduler.Task timer;
    private volatile boolean expired;
    private volatile boolean done;
    private volatile Content.Chunk failure;

    private ClientBody(Request request, Executor executor) {
        super(request);
        this.executor = executor;
    }

    /**
     * {@code request} with its body guarded; a request without a body is returned as it is.
     * {@code deadlineNanos} ({@link System#nanoTime()} based) is when the body must be complete,
     * 0 for no deadline.
     */
    static Request guard(Request request, long deadlineNanos, Scheduler scheduler, Executor executor) {
        if (!BufferedRequest.hasBody(request)) {
            return request;
        }
        ClientBody body = new ClientBody(request, executor);
        if (deadlineNanos != 0) {
            long delay = Math.max(0, NanoTime.until(deadlineNanos));
            body.timer = scheduler.schedule(body::expire, delay, TimeUnit.NANOSECONDS);
        }
        return body;
    }

    /** Stops the deadline: the exchange is over, whether or not the body was read. */
    void finish() {
        done = true;
        Scheduler.Task t = timer;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk failed = failure;
        if (failed != null) {
            return failed;
        }
        if (expired) {
            return fail(new ClientRequestException(ClientRequestException.CLIENT_CLOSED_REQUEST,
                    "request body not received within readTimeout", new TimeoutException("readTimeout")));
        }
        Content.Chunk chunk = super.read();
        if (chunk == null) {
            return null;
        }
        if (Content.Chunk.isFailure(chunk)) {
            return fail(asClientFault(chunk.getFailure()));
        }
        if (chunk.isLast()) {
            finish();
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (failure != null || expired) {
            executor.execute(demandCallback);
            return;
        }
        demand.set(demandCallback);
        super.demand(this::demanded);
    }

    private void demanded() {
        Runnable d = demand.getAndSet(null);
        if (d != null) {
            d.run();
        }
    }

    private void expire() {
        if (done) {
            return;
        }
        expired = true;
        Runnable d = demand.getAndSet(null);
        if (d != null) {
            executor.execute(d); // the reader wakes up and reads the failure
        }
    }

    private Content.Chunk fail(ClientRequestException cause) {
        Content.Chunk chunk = Content.Chunk.from(cause, true);
        failure = chunk;
        finish();
        return chunk;
    }

    /** 400 when the client broke the framing (Jetty's {@link HttpException}), 499 when it stalled or went away. */
    private static ClientRequestException asClientFault(Throwable cause) {
        if (cause instanceof ClientRequestException c) {
            return c;
        }
        if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
            return new ClientRequestException(http.getCode(), "bad request body: " + cause.getMessage(), cause);
        }
        return new ClientRequestException(ClientRequestException.CLIENT_CLOSED_REQUEST,
                "request body interrupted: " + cause, cause);
    }
}

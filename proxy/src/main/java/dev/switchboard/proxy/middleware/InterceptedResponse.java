package dev.switchboard.proxy.middleware;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A response that lets a middleware act once, just before the status and headers are sent: the
 * moment Traefik's {@code ResponseModifier} runs. Everything the handlers behind write passes
 * through {@link #beforeCommit()} first; a response completed without any write runs it from
 * {@link #complete(Callback)}.
 */
public class InterceptedResponse extends Response.Wrapper {
    private final Runnable beforeCommit;
    private boolean started;

    public InterceptedResponse(Request request, Response wrapped, Runnable beforeCommit) {
        super(request, wrapped);
        this.beforeCommit = beforeCommit;
    }

    /** Runs the hook if it has not run yet and the response is not committed. */
    protected final void beforeCommit() {
        if (!started) {
            started = true;
            if (!getWrapped().isCommitted()) {
                beforeCommit.run();
            }
        }
    }

    @Override
    public void write(boolean last, ByteBuffer byteBuffer, Callback callback) {
        beforeCommit();
        super.write(last, byteBuffer, callback);
    }

    @Override
    public void reset() {
        super.reset();
        started = false;
    }

    /** The callback to pass on: runs the hook when the response ends without a write. */
    public Callback complete(Callback callback) {
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                beforeCommit();
                super.succeeded();
            }
        };
    }
}

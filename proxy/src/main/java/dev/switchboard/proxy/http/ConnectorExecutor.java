package dev.switchboard.proxy.http;

import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.TryExecutor;

/**
 * The executor of one entry point's connector: the server's thread pool, except for one hand-off it
 * can save. When a response completes on a thread other than the one that handled the request (a
 * proxied response relayed by the forwarding client's selector thread), Jetty's HTTP/1.1 connection
 * resumes reading the next request by dispatching itself to the pool: a thread wakes, reads the
 * next request, sends it upstream and parks again, per request. Inside {@link #resumeInline}, that
 * dispatch is taken over instead and the connection is resumed on the completing thread once the
 * completion has returned, as long as {@code inlineAllowed} says the entry point's routers never
 * block (the thread may be a selector thread). Everything else goes to the pool unchanged.
 */
public final class ConnectorExecutor implements TryExecutor {
    private static final ThreadLocal<Deferred> SCOPE = ThreadLocal.withInitial(Deferred::new);

    private final Executor pool;
    private final TryExecutor tryPool;
    private final BooleanSupplier inlineAllowed;

    public ConnectorExecutor(Executor pool, BooleanSupplier inlineAllowed) {
        this.pool = pool;
        this.tryPool = TryExecutor.asTryExecutor(pool);
        this.inlineAllowed = inlineAllowed;
    }

    @Override
    public void execute(Runnable task) {
        Deferred deferred = SCOPE.get();
        if (deferred.open && deferred.task == null && task instanceof Connection && inlineAllowed.getAsBoolean()) {
            deferred.task = task;
            return;
        }
        pool.execute(task);
    }

    @Override
    public boolean tryExecute(Runnable task) {
        return tryPool.tryExecute(task);
    }

    /**
     * Runs {@code completion} (which completes a request's callback); a connection that asks to be
     * resumed meanwhile, through a {@link ConnectorExecutor} that allows it, is run on this thread
     * afterwards. Nested calls run {@code completion} in the outer scope.
     */
    public static void resumeInline(Runnable completion) {
        Deferred deferred = SCOPE.get();
        if (deferred.open) {
            completion.run();
            return;
        }
        deferred.open = true;
        Runnable task;
        try {
            completion.run();
        } finally {
            deferred.open = false;
            task = deferred.task;
            deferred.task = null;
        }
        if (task != null) {
            task.run();
        }
    }

    private static final class Deferred {
        boolean open;
        Runnable task;
    }
}

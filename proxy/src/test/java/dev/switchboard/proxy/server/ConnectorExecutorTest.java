package dev.switchboard.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.http.ConnectorExecutor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.junit.jupiter.api.Test;

/** The connector's executor: which dispatches it takes over (a connection resuming) and when. */
class ConnectorExecutorTest {
    private final List<Runnable> pooled = new ArrayList<>();
    private final AtomicBoolean allowed = new AtomicBoolean(true);
    private final ConnectorExecutor executor = new ConnectorExecutor(pooled::add, allowed::get);

    /** A Runnable that is also a Connection, as Jetty's HttpConnection is. */
    private static Runnable connection(List<String> log, String name) {
        return (Runnable) Proxy.newProxyInstance(ConnectorExecutorTest.class.getClassLoader(),
                new Class<?>[] {Runnable.class, Connection.class}, (p, method, args) -> {
                    if (method.getName().equals("run")) {
                        log.add(name + " on " + Thread.currentThread().getName());
                    }
                    return method.getName().equals("hashCode") ? 0 : null;
                });
    }

    @Test
    void aConnectionResumingDuringTheCompletionRunsOnThisThreadAfterIt() {
        List<String> log = new ArrayList<>();
        Runnable conn = connection(log, "resume");
        ConnectorExecutor.resumeInline(() -> {
            executor.execute(conn);
            log.add("completion returns");
        });
        String me = Thread.currentThread().getName();
        assertEquals(List.of("completion returns", "resume on " + me), log, "after the completion, on the same thread");
        assertTrue(pooled.isEmpty());
    }

    @Test
    void otherTasksAndASecondResumeGoToThePool() {
        List<String> log = new ArrayList<>();
        Runnable plain = () -> log.add("plain");
        Runnable first = connection(log, "first");
        Runnable second = connection(log, "second");
        ConnectorExecutor.resumeInline(() -> {
            executor.execute(plain);
            executor.execute(first);
            executor.execute(second);
        });
        assertEquals(2, pooled.size());
        assertSame(plain, pooled.get(0));
        assertSame(second, pooled.get(1));
        assertEquals(1, log.size(), "only the first resume ran inline: " + log);
    }

    @Test
    void outsideACompletionOrWhenARouterCanBlockEverythingGoesToThePool() {
        List<String> log = new ArrayList<>();
        Runnable conn = connection(log, "resume");
        executor.execute(conn);
        allowed.set(false);
        ConnectorExecutor.resumeInline(() -> executor.execute(conn));
        assertEquals(List.of(conn, conn), pooled);
        assertTrue(log.isEmpty());
    }

    @Test
    void nestedCompletionsRunInTheOuterScope() {
        List<String> log = new ArrayList<>();
        Runnable conn = connection(log, "resume");
        ConnectorExecutor.resumeInline(() -> {
            ConnectorExecutor.resumeInline(() -> executor.execute(conn));
            assertTrue(log.isEmpty(), "not yet: the outer completion has not returned");
            log.add("outer returns");
        });
        assertEquals(2, log.size());
        assertEquals("outer returns", log.get(0));
        assertFalse(log.get(1).isEmpty());
    }
}

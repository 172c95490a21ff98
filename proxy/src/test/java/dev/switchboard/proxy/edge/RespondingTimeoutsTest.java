package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, finding 4 (and the last item of finding 6): the entry points' {@code respondingTimeouts}
 * as Traefik v3.2 has them, which are Go's {@code http.Server} timeouts
 * ({@code pkg/server/server_entrypoint_tcp.go}, {@code createHTTPServer}): {@code readTimeout}
 * (default 60 s) bounds reading the whole request from its start, head and body; {@code idleTimeout}
 * (180 s) the wait for the next request on a kept-alive connection, and nothing else;
 * {@code writeTimeout} (none by default) writing the response. And {@code forwardingTimeouts}
 * ({@code pkg/server/service/transport.go}): with no {@code responseHeaderTimeout} the proxy waits
 * for a server as long as it takes; {@code idleConnTimeout} is for idle pooled connections only.
 * The timeouts here are short ones set by the tests; the bugs they catch were minutes long.
 */
class RespondingTimeoutsTest {


    /** A server that answers {@code late} after {@code millis}. */
    private static Backend answeringAfter(long millis) throws Exception {
        return new Backend("slow").behave((b, request, response, callback) -> {
            Thread.sleep(millis);
            response.write(true, ByteBuffer.wrap("late".getBytes()), callback);
        });
    }

    @Test
    void requestHeadSentByteByByteIsCutAtReadTimeoutWithoutAnAnswer() throws Exception {
        try (Backend backend = new Backend("b");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(backend.url()),
                        "--entrypoints.web.transport.respondingTimeouts.readTimeout=2s");
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            long start = System.nanoTime();
            boolean wroteAll = c.writeSlowly("GET / HTTP/1.1\r\nHost: site\r\nX-Padding: " + "x".repeat(60) + "\r\n\r\n",
                    Duration.ofMillis(250));
            assertFalse(wroteAll, "a head trickling in for 20 s must be cut off");
            assertTrue(c.closedWithin(Duration.ofSeconds(10)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(2000), "not before readTimeout");
            assertEquals("", c.readFor(Duration.ZERO), "Go closes without an answer");
            assertEquals(0, backend.count());
        }
    }

    @Test
    void requestBodySentByteByByteAnswers499AtReadTimeoutAndFreesTheServer() throws Exception {
        CountDownLatch serverGaveUp = new CountDownLatch(1);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asString(request, java.nio.charset.StandardCharsets.UTF_8, org.eclipse.jetty.util.Promise.from(
                        body -> response.write(true, ByteBuffer.wrap(body.getBytes()), callback),
                        failure -> {
                            serverGaveUp.countDown();
                            callback.failed(failure);
                        }));
                return true;
            }
        });
        server.start();
        try (ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo("http://127.0.0.1:" + connector.getLocalPort()),
                "--entrypoints.web.transport.respondingTimeouts.readTimeout=2s");
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("POST /upload HTTP/1.1\r\nHost: site\r\nContent-Length: 100\r\n\r\n");
            boolean wroteAll = c.writeSlowly("a".repeat(100), Duration.ofMillis(200));
            assertFalse(wroteAll, "a body trickling in for 20 s must be cut off");
            RawConnection.Response r = c.read();
            assertEquals(499, r.status(), r.toString());
            assertEquals("Client Closed Request", r.bodyText());
            assertTrue(c.closedWithin(Duration.ofSeconds(5)));
            assertTrue(serverGaveUp.await(10, TimeUnit.SECONDS), "the server's connection is released, not held for the body");
        } finally {
            server.stop();
        }
    }

    @Test
    void keptAliveConnectionClosesAfterIdleTimeout() throws Exception {
        try (Backend backend = new Backend("b");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(backend.url()),
                        "--entrypoints.web.transport.respondingTimeouts.idleTimeout=2s");
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("GET / HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(200, c.read().status());
            long start = System.nanoTime();
            assertTrue(c.closedWithin(Duration.ofSeconds(15)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1900));
        }
    }

    @Test
    void idleTimeoutDoesNotCutOffASlowServer() throws Exception {
        // timeouts of 2 s, not less: on a loaded machine the request itself may wait a second for a thread
        try (Backend slow = answeringAfter(4500);
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(slow.url()),
                        "--entrypoints.web.transport.respondingTimeouts.idleTimeout=2s",
                        "--entrypoints.web.transport.respondingTimeouts.readTimeout=2s");
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("GET / HTTP/1.1\r\nHost: site\r\n\r\n");
            RawConnection.Response r = c.read();
            assertEquals(200, r.status(), r.toString());
            assertEquals("late", r.bodyText());
        }
    }

    @Test
    void responseNotWrittenWithinWriteTimeoutClosesTheConnection() throws Exception {
        try (Backend slow = answeringAfter(2500);
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(slow.url()),
                        "--entrypoints.web.transport.respondingTimeouts.writeTimeout=1s");
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("GET / HTTP/1.1\r\nHost: site\r\n\r\n");
            assertTrue(c.closedWithin(Duration.ofSeconds(10)));
            assertEquals("", c.readFor(Duration.ZERO), "Go's writes fail after the deadline: nothing reaches the client");
        }
    }

    @Test
    void noResponseTimeoutByDefaultEvenPastIdleConnTimeout() throws Exception {
        try (Backend slow = answeringAfter(3000);
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(slow.url()),
                        "--serversTransport.forwardingTimeouts.idleConnTimeout=1s");
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("GET / HTTP/1.1\r\nHost: site\r\n\r\n");
            RawConnection.Response r = c.read();
            assertEquals(200, r.status(), r.toString());
            assertEquals("late", r.bodyText());
        }
    }
}

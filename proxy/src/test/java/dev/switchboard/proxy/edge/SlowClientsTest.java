package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Slow clients against short timeouts set by the test (Traefik's defaults are 60 s and 180 s): many
 * connections trickling request heads (slowloris) are each cut at {@code readTimeout} while ordinary
 * clients keep being served; bodies trickling in get 499; and a client that does not read a large
 * response makes the proxy stop reading the server (backpressure) instead of buffering it all.
 */
class SlowClientsTest {


    @Test
    void slowlorisConnectionsAreCutWhileOthersAreServed() throws Exception {
        try (LogWatch log = new LogWatch(); Backend backend = new Backend("b");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(backend.url()),
                        "--entrypoints.web.transport.respondingTimeouts.readTimeout=2s")) {
            List<RawConnection> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    RawConnection c = RawConnection.open(proxy.proxy().port("web"));
                    c.write("GET /slow HTTP/1.1\r\nHost: site\r\nX-A: ");
                    slow.add(c);
                }
                long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                int served = 0;
                while (System.nanoTime() < until) {
                    for (RawConnection c : slow) {
                        try {
                            c.write("a");
                        } catch (java.io.IOException e) {
                            // already cut
                        }
                    }
                    assertEquals(200, proxy.get("/ordinary").getStatus(), "ordinary clients are served meanwhile");
                    served++;
                    Thread.sleep(200);
                }
                assertTrue(served > 0);
                for (RawConnection c : slow) {
                    assertTrue(c.closedWithin(Duration.ofSeconds(15)), "every trickling head is cut at readTimeout");
                }
            } finally {
                for (RawConnection c : slow) {
                    c.close();
                }
            }
            assertTrue(backend.seen().stream().noneMatch(s -> s.path().equals("/slow")));
            assertEquals(List.of(), log.stackTraces());
        }
    }

    @Test
    void manyTricklingBodiesAllGet499() throws Exception {
        try (Backend backend = new Backend("b");
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(backend.url()),
                        "--entrypoints.web.transport.respondingTimeouts.readTimeout=2s")) {
            List<RawConnection> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    RawConnection c = RawConnection.open(proxy.proxy().port("web"));
                    c.write("POST /upload HTTP/1.1\r\nHost: site\r\nContent-Length: 1000\r\n\r\nfirst bytes");
                    slow.add(c);
                }
                for (RawConnection c : slow) {
                    RawConnection.Response r = c.read();
                    assertEquals(499, r.status(), r.toString());
                }
            } finally {
                for (RawConnection c : slow) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsBackTheServerInsteadOfFillingTheProxy() throws Exception {
        AtomicLong written = new AtomicLong();
        long total = 64L << 20;
        try (Backend big = new Backend("big").behave((b, request, response, callback) -> {
                    byte[] chunk = new byte[64 * 1024];
                    response.getHeaders().put("Content-Length", total);
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        try (org.eclipse.jetty.util.Blocker.Callback blocker = org.eclipse.jetty.util.Blocker.callback()) {
                            response.write(sent + chunk.length >= total, ByteBuffer.wrap(chunk), blocker);
                            blocker.block();
                        }
                        written.addAndGet(chunk.length);
                    }
                    callback.succeeded();
                });
                ProxyFixture proxy = ProxyFixture.start(ProxyFixture.catchAllTo(big.url()));
                RawConnection c = RawConnection.open(proxy.proxy().port("web"))) {
            c.write("GET /download HTTP/1.1\r\nHost: site\r\n\r\n");
            Thread.sleep(3000); // the client reads nothing
            long stalled = written.get();
            Thread.sleep(1000);
            assertEquals(stalled, written.get(), "the server's writes wait for the client");
            assertTrue(stalled < total / 2, "only buffers' worth is in flight, not the response: " + stalled + " bytes");
            RawConnection.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals(total, r.body().length);
        }
    }
}

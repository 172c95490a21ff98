package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache middleware (RFC 9111 subset) through the real proxy: what reaches the backend, what the client sees. */
class CacheTest {
    private Backend backend;
    private ProxyFixture proxy;
    private final AtomicInteger version = new AtomicInteger(1);

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("b").behave((b, request, response, callback) -> {
            String path = request.getHttpURI().getPath();
            String etag = "\"v" + version.get() + "\"";
            var h = response.getHeaders();
            h.put("Content-Type", "text/plain");
            String body = "version " + version.get() + " of " + path;
            switch (path) {
                case "/fresh" -> h.put("Cache-Control", "max-age=60");
                case "/shared" -> h.put("Cache-Control", "max-age=0, s-maxage=60");
                case "/nostore" -> h.put("Cache-Control", "no-store");
                case "/private" -> h.put("Cache-Control", "private, max-age=60");
                case "/plain" -> {
                }
                case "/vary" -> {
                    h.put("Cache-Control", "max-age=60");
                    h.put("Vary", "Accept-Language");
                    body = "hello in " + request.getHeaders().get("Accept-Language");
                }
                case "/validate" -> {
                    h.put("Cache-Control", "no-cache");
                    h.put("ETag", etag);
                    if (etag.equals(request.getHeaders().get("If-None-Match"))) {
                        response.setStatus(304);
                        response.write(true, ByteBuffer.allocate(0), callback);
                        return;
                    }
                }
                case "/big" -> {
                    h.put("Cache-Control", "max-age=60");
                    body = "x".repeat(5000);
                }
                default -> {
                    h.put("Cache-Control", "max-age=60");
                    body = "y".repeat(1000);
                }
            }
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        });
        proxy = ProxyFixture.start(Exchange.routers(backend, Map.of("cache",
                "cache: {maxSizeBytes: 4000, maxEntryBytes: 2000}")));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    private ContentResponse get(String path, String... headers) throws Exception {
        return proxy.client().newRequest(proxy.url("web", path)).timeout(10, TimeUnit.SECONDS).headers(h -> {
            h.put("Host", "cache");
            for (int i = 0; i < headers.length; i += 2) {
                h.put(headers[i], headers[i + 1]);
            }
        }).send();
    }

    @Test
    void aFreshResponseIsServedFromTheCacheWithAge() throws Exception {
        ContentResponse first = get("/fresh");
        assertEquals("MISS", first.getHeaders().get("X-Cache"));
        version.set(2);
        ContentResponse second = get("/fresh");
        assertEquals("HIT", second.getHeaders().get("X-Cache"));
        assertEquals("version 1 of /fresh", second.getContentAsString(), "the stored body, not the backend's new one");
        assertNotNull(second.getHeaders().get("Age"));
        assertEquals(1, backend.count(), "the second request never reached the backend");
        assertEquals("MISS", get("/shared").getHeaders().get("X-Cache"));
        assertEquals("HIT", get("/shared").getHeaders().get("X-Cache"), "s-maxage wins over max-age=0 in a shared cache");
    }

    @Test
    void whatMayNotBeStoredAlwaysGoesToTheBackend() throws Exception {
        for (String path : new String[] {"/nostore", "/private", "/plain", "/big"}) {
            get(path);
            ContentResponse again = get(path);
            assertEquals("MISS", again.getHeaders().get("X-Cache"), path);
        }
        assertEquals(8, backend.count());
        get("/fresh", "Authorization", "Bearer x");
        assertEquals("MISS", get("/fresh", "Authorization", "Bearer x").getHeaders().get("X-Cache"), "Authorization");
        get("/fresh", "Cache-Control", "no-store");
        assertEquals("MISS", get("/fresh", "Cache-Control", "no-store").getHeaders().get("X-Cache"), "request no-store");
    }

    @Test
    void varyKeepsOneEntryPerLanguage() throws Exception {
        assertEquals("hello in en", get("/vary", "Accept-Language", "en").getContentAsString());
        assertEquals("hello in fr", get("/vary", "Accept-Language", "fr").getContentAsString());
        ContentResponse en = get("/vary", "Accept-Language", "en");
        assertEquals("HIT", en.getHeaders().get("X-Cache"));
        assertEquals("hello in en", en.getContentAsString());
        assertEquals("hello in fr", get("/vary", "Accept-Language", "fr").getContentAsString());
    }

    @Test
    void staleEntriesAreRevalidatedWithTheirETag() throws Exception {
        assertEquals("MISS", get("/validate").getHeaders().get("X-Cache"));
        ContentResponse revalidated = get("/validate");
        assertEquals(200, revalidated.getStatus());
        assertEquals("HIT", revalidated.getHeaders().get("X-Cache"));
        assertEquals("version 1 of /validate", revalidated.getContentAsString());
        assertEquals("\"v1\"", backend.last().header("If-None-Match"), "the backend was asked whether v1 changed");
        version.set(2);
        ContentResponse changed = get("/validate");
        assertEquals("MISS", changed.getHeaders().get("X-Cache"));
        assertEquals("version 2 of /validate", changed.getContentAsString());
    }

    @Test
    void aClientRevalidatingGets304FromTheCache() throws Exception {
        get("/validate");
        ContentResponse notModified = get("/validate", "If-None-Match", "\"v1\"");
        assertEquals(304, notModified.getStatus());
    }

    @Test
    void clientNoCacheForcesTheBackendAndPostInvalidates() throws Exception {
        get("/fresh");
        assertEquals("MISS", get("/fresh", "Cache-Control", "no-cache").getHeaders().get("X-Cache"));
        assertEquals("HIT", get("/fresh").getHeaders().get("X-Cache"));
        proxy.client().newRequest(proxy.url("web", "/fresh")).method("POST").headers(h -> h.put("Host", "cache")).send();
        assertEquals("MISS", get("/fresh").getHeaders().get("X-Cache"), "POST dropped the entry");
    }

    @Test
    void theSizeBoundEvicts() throws Exception {
        for (int i = 0; i < 10; i++) {
            get("/item" + i);
        }
        int hits = 0;
        for (int i = 0; i < 10; i++) {
            if ("HIT".equals(get("/item" + i).getHeaders().get("X-Cache"))) {
                hits++;
            }
        }
        assertTrue(hits <= 4, "4000 bytes hold at most 3-4 entries of ~1 KB, not " + hits);
    }
}

package dev.switchboard.proxy.middleware;

import static dev.switchboard.proxy.testing.Exchange.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** errors (pages from a service), contentType (sniffing), compress (gzip): the response the client saw. */
class ResponseMiddlewaresTest {
    static final String BIG_TEXT = "switchboard ".repeat(400);
    private static Backend backend;
    private static Backend pages;
    private static ProxyFixture proxy;
    /** The JDK's client: it never decodes, so the test sees the bytes the proxy sent. */
    private static java.net.http.HttpClient raw;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("b").behave((b, request, response, callback) -> {
            String path = request.getHttpURI().getPath();
            String body = "ok";
            switch (path) {
                case "/500" -> response.setStatus(500);
                case "/404" -> response.setStatus(404);
                case "/503" -> response.setStatus(503);
                case "/html" -> body = "  <!DOCTYPE html><html><body>hi</body></html>";
                case "/typed" -> {
                    response.getHeaders().put("Content-Type", "application/json");
                    body = "{}";
                }
                case "/big" -> {
                    response.getHeaders().put("Content-Type", "text/plain");
                    body = BIG_TEXT;
                }
                case "/bigjpeg" -> {
                    response.getHeaders().put("Content-Type", "image/jpeg");
                    body = BIG_TEXT;
                }
                case "/encoded" -> {
                    response.getHeaders().put("Content-Type", "text/plain");
                    response.getHeaders().put("Content-Encoding", "br");
                    body = BIG_TEXT;
                }
                default -> response.getHeaders().put("Content-Type", "text/plain");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        });
        pages = new Backend("pages").behave((b, request, response, callback) -> {
            response.getHeaders().put("Content-Type", "text/html");
            String page = "<h1>sorry: " + request.getHttpURI().getPath() + "</h1>";
            response.write(true, ByteBuffer.wrap(page.getBytes(StandardCharsets.UTF_8)), callback);
        });
        Map<String, String> m = new LinkedHashMap<>();
        m.put("errors", "errors: {status: [\"500-502\", \"404\"], service: pages, query: \"/{status}.html\"}");
        m.put("rewrite", "errors: {status: [\"500-599\"], statusRewrites: {\"500-503\": 502}, service: pages, "
                + "query: \"oops/{status}/{originalStatus}\"}");
        m.put("sniff", "contentType: {}");
        m.put("gzip", "compress: {}");
        m.put("gzipnojpeg", "compress: {excludedContentTypes: [image/jpeg]}");
        m.put("gzipmin", "compress: {minResponseBodyBytes: 100000}");
        String yaml = Exchange.routers(backend, m) + "    pages:\n      loadBalancer:\n        servers: [{url: \"" + pages.url() + "\"}]\n";
        proxy = ProxyFixture.start(yaml);
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        raw = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        backend.close();
        pages.close();
    }

    static Stream<Exchange> rows() {
        return Stream.of(
                row("errors: 500 replaced by the page, status kept").host("errors").get("/500").status(500)
                        .responseBody("<h1>sorry: /500.html</h1>").responseHeader("Content-Type", "text/html"),
                row("errors: 404 in the list").host("errors").get("/404").status(404).responseBody("<h1>sorry: /404.html</h1>"),
                row("errors: 503 not in the list passes").host("errors").get("/503").status(503).responseBody("ok"),
                row("errors: 200 passes").host("errors").get("/fine").responseBody("ok"),
                row("errors: statusRewrites").host("rewrite").get("/500").status(502).responseBody("<h1>sorry: /oops/502/500</h1>"),
                row("contentType: HTML sniffed").host("sniff").get("/html").responseHeader("Content-Type", "text/html; charset=utf-8"),
                row("contentType: text sniffed").host("sniff").get("/nothing").responseHeader("Content-Type", "text/plain"),
                row("contentType: a given type is kept").host("sniff").get("/typed").responseHeader("Content-Type", "application/json"),
                row("without contentType nothing is guessed").host("plain").get("/html").responseHeader("Content-Type", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void responseMiddleware(Exchange row) throws Exception {
        row.check(proxy, backend);
    }

    /** Sends with the JDK client (allowed to set Host) to the router of {@code host}. */
    private RawResponse rawGet(String host, String path, String acceptEncoding) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(proxy.url("web", path))).header("Host", host)
                .timeout(java.time.Duration.ofSeconds(10));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        java.net.http.HttpResponse<byte[]> r = raw.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        return new RawResponse(r.statusCode(), r.headers(), r.body());
    }

    record RawResponse(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    @Test
    void compressGzipsLargeTextForClientsThatAcceptIt() throws Exception {
        RawResponse r = rawGet("gzip", "/big", "br;q=1.0, gzip;q=0.8");
        assertEquals(200, r.status());
        assertEquals("gzip", r.header("Content-Encoding"));
        assertEquals("Accept-Encoding", r.header("Vary"));
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
        assertArrayEquals(BIG_TEXT.getBytes(StandardCharsets.UTF_8), plain);
        System.out.printf("compress: %d bytes of text sent as %d gzip bytes%n", plain.length, r.body().length);
    }

    @Test
    void compressLeavesWhatItShouldNotTouch() throws Exception {
        assertNull(rawGet("gzip", "/big", null).header("Content-Encoding"), "no Accept-Encoding");
        assertNull(rawGet("gzip", "/big", "gzip;q=0, br").header("Content-Encoding"), "gzip refused with q=0");
        assertNull(rawGet("gzip", "/small", "gzip").header("Content-Encoding"), "under 1024 bytes");
        assertNull(rawGet("gzipmin", "/big", "gzip").header("Content-Encoding"), "under minResponseBodyBytes");
        assertNull(rawGet("gzipnojpeg", "/bigjpeg", "gzip").header("Content-Encoding"), "excluded type");
        assertEquals("br", rawGet("gzip", "/encoded", "gzip").header("Content-Encoding"), "already encoded");
        assertEquals("gzip", rawGet("gzip", "/big", "*").header("Content-Encoding"), "any encoding");
    }
}

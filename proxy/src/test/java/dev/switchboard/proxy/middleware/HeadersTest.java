package dev.switchboard.proxy.middleware;

import static dev.switchboard.proxy.testing.Exchange.row;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** headers: custom request/response headers, CORS (preflight answered by the proxy), security headers. */
class HeadersTest {
    private static Backend backend;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("b").behave((b, request, response, callback) -> {
            response.getHeaders().put("Content-Type", "text/plain");
            response.getHeaders().put("X-Powered-By", "PHP/5");
            response.getHeaders().put("Server", "backend");
            response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), callback);
        });
        Map<String, String> m = new LinkedHashMap<>();
        m.put("custom", """
                headers:
                  customRequestHeaders: {X-Script-Name: test, X-Remove-Me: ""}
                  customResponseHeaders: {X-Custom-Response: "yes", X-Powered-By: "", Server: ""}""");
        m.put("cors", """
                headers:
                  accessControlAllowMethods: [GET, OPTIONS, PUT]
                  accessControlAllowHeaders: [Content-Type, X-Token]
                  accessControlAllowOriginList: ["https://app.example", "https://admin.example"]
                  accessControlMaxAge: 100
                  accessControlExposeHeaders: [X-Total]
                  addVaryHeader: true""");
        m.put("corsany", """
                headers:
                  accessControlAllowOriginList: ["*"]
                  accessControlAllowMethods: ["*"]
                  accessControlAllowCredentials: true""");
        m.put("corsregex", """
                headers:
                  accessControlAllowOriginListRegex: ["^https://.*\\\\.example\\\\.org$"]""");
        m.put("secure", """
                headers:
                  frameDeny: true
                  contentTypeNosniff: true
                  browserXssFilter: true
                  stsSeconds: 31536000
                  stsIncludeSubdomains: true
                  stsPreload: true
                  contentSecurityPolicy: "default-src 'self'"
                  referrerPolicy: no-referrer
                  permissionsPolicy: "camera=()"
                  sslProxyHeaders: {X-Forwarded-Proto: https}""");
        m.put("forcests", """
                headers:
                  stsSeconds: 60
                  forceSTSHeader: true
                  customFrameOptionsValue: SAMEORIGIN""");
        m.put("hosts", """
                headers:
                  allowedHosts: [hosts, www.example]
                  hostsProxyHeaders: [X-Forwarded-Host]""");
        proxy = ProxyFixture.start(Exchange.routers(backend, m), "--entrypoints.web.forwardedHeaders.insecure=true");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    static Stream<Exchange> rows() {
        return Stream.of(
                row("custom request header set, empty value removes").host("custom").get("/")
                        .header("X-Remove-Me", "secret").header("X-Script-Name", "client")
                        .backendHeader("X-Script-Name", "test").backendHeader("X-Remove-Me", null),
                row("custom response header set, empty value removes").host("custom").get("/")
                        .responseHeader("X-Custom-Response", "yes").responseHeader("X-Powered-By", null)
                        .responseHeader("Server", null),
                row("CORS preflight answered by the proxy").host("cors").request("OPTIONS", "/api")
                        .header("Origin", "https://app.example").header("Access-Control-Request-Method", "PUT")
                        .status(200).answeredByProxy()
                        .responseHeader("Access-Control-Allow-Origin", "https://app.example")
                        .responseHeader("Access-Control-Allow-Methods", "GET,OPTIONS,PUT")
                        .responseHeader("Access-Control-Allow-Headers", "Content-Type,X-Token")
                        .responseHeader("Access-Control-Max-Age", "100")
                        .responseHeader("Access-Control-Expose-Headers", "X-Total")
                        .responseHeader("Content-Length", "0"),
                row("CORS preflight from another origin: no allow-origin").host("cors").request("OPTIONS", "/api")
                        .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "PUT")
                        .status(200).answeredByProxy().responseHeader("Access-Control-Allow-Origin", null),
                row("CORS plain OPTIONS (no preflight) reaches the backend").host("cors").request("OPTIONS", "/api")
                        .backendPath("/api"),
                row("CORS simple request gets allow-origin and Vary").host("cors").get("/api")
                        .header("Origin", "https://admin.example")
                        .responseHeader("Access-Control-Allow-Origin", "https://admin.example")
                        .responseHeader("Vary", "Origin").responseHeader("Access-Control-Expose-Headers", "X-Total"),
                row("CORS wildcard with credentials echoes the origin").host("corsany").request("OPTIONS", "/")
                        .header("Origin", "https://x.example").header("Access-Control-Request-Method", "DELETE")
                        .answeredByProxy().responseHeader("Access-Control-Allow-Origin", "https://x.example")
                        .responseHeader("Access-Control-Allow-Methods", "DELETE")
                        .responseHeader("Access-Control-Allow-Credentials", "true"),
                row("CORS origin regex").host("corsregex").get("/").header("Origin", "https://shop.example.org")
                        .responseHeader("Access-Control-Allow-Origin", "https://shop.example.org"),
                row("security headers; HSTS only on HTTPS").host("secure").get("/")
                        .responseHeader("X-Frame-Options", "DENY").responseHeader("X-Content-Type-Options", "nosniff")
                        .responseHeader("X-XSS-Protection", "1; mode=block")
                        .responseHeader("Content-Security-Policy", "default-src 'self'")
                        .responseHeader("Referrer-Policy", "no-referrer").responseHeader("Permissions-Policy", "camera=()")
                        .responseHeader("Strict-Transport-Security", null),
                row("HSTS when sslProxyHeaders say HTTPS").host("secure").get("/").header("X-Forwarded-Proto", "https")
                        .responseHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
                row("forceSTSHeader and customFrameOptionsValue").host("forcests").get("/")
                        .responseHeader("Strict-Transport-Security", "max-age=60")
                        .responseHeader("X-Frame-Options", "SAMEORIGIN"),
                row("allowedHosts: allowed").host("hosts").get("/").backendPath("/"),
                row("allowedHosts: allowed by hostsProxyHeaders").host("hosts").header("X-Forwarded-Host", "www.example")
                        .get("/").backendPath("/"),
                row("allowedHosts: another host gets 500 Bad Host").host("hosts").header("X-Forwarded-Host", "evil.example")
                        .get("/").status(500).answeredByProxy().responseBody("Bad Host\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void headers(Exchange row) throws Exception {
        row.check(proxy, backend);
    }
}

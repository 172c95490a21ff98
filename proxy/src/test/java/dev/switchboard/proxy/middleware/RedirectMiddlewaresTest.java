package dev.switchboard.proxy.middleware;

import static dev.switchboard.proxy.testing.Exchange.row;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** redirectScheme and redirectRegex: Traefik's 302/301 (GET) vs 307/308 (other methods) rules. */
class RedirectMiddlewaresTest {
    private static Backend backend;
    private static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("b");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tohttps", "redirectScheme: {scheme: https}");
        m.put("tohttpsperm", "redirectScheme: {scheme: https, permanent: true, port: \"8443\"}");
        m.put("tohttp", "redirectScheme: {scheme: http, port: \"80\"}");
        m.put("force308", "redirectScheme: {scheme: https, forcePermanentRedirect: true}");
        m.put("regex", "redirectRegex: {regex: \"^http://regex/old/(.*)\", replacement: \"http://new.example/${1}\"}");
        m.put("regexperm", "redirectRegex: {regex: \"^http://regexperm/(.*)\", replacement: \"https://www.example.com/$1\", permanent: true}");
        m.put("regexcode", "redirectRegex: {regex: \"^http://regexcode/(.*)\", replacement: \"http://x/$1\", statusCode: 303}");
        proxy = ProxyFixture.start(Exchange.routers(backend, m));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    static Stream<Exchange> rows() {
        return Stream.of(
                row("redirectScheme: GET, temporary: 302").host("tohttps").get("/a?b=c").status(302).answeredByProxy()
                        .responseHeader("Location", "https://tohttps/a?b=c").responseBody("Found"),
                row("redirectScheme: POST, temporary: 307").host("tohttps").request("POST", "/form").body("x=1")
                        .status(307).answeredByProxy().responseHeader("Location", "https://tohttps/form"),
                row("redirectScheme: GET, permanent: 301 with port").host("tohttpsperm:8000").get("/p").status(301)
                        .answeredByProxy().responseHeader("Location", "https://tohttpsperm:8443/p"),
                row("redirectScheme: PUT, permanent: 308").host("tohttpsperm").request("PUT", "/p").status(308)
                        .answeredByProxy().responseHeader("Location", "https://tohttpsperm:8443/p"),
                row("redirectScheme: already on the target scheme passes").host("tohttp").get("/here")
                        .backendPath("/here"),
                row("redirectScheme: X-Forwarded-Proto from the client is not trusted").host("tohttps")
                        .header("X-Forwarded-Proto", "https").get("/").status(302).answeredByProxy(),
                row("redirectScheme: forcePermanentRedirect: 308 even for GET").host("force308").get("/").status(308)
                        .answeredByProxy().responseHeader("Location", "https://force308/"),
                row("redirectRegex: GET 302 with group").host("regex").get("/old/page?q=1").status(302).answeredByProxy()
                        .responseHeader("Location", "http://new.example/page?q=1"),
                row("redirectRegex: no match passes").host("regex").get("/other").backendPath("/other"),
                row("redirectRegex: permanent POST 308").host("regexperm").request("POST", "/x").status(308)
                        .answeredByProxy().responseHeader("Location", "https://www.example.com/x"),
                row("redirectRegex: statusCode overrides").host("regexcode").get("/y").status(303).answeredByProxy()
                        .responseHeader("Location", "http://x/y"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void redirect(Exchange row) throws Exception {
        row.check(proxy, backend);
    }
}

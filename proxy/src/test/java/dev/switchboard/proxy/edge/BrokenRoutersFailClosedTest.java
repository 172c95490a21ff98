package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fail-closed rule for every way a router's configuration can break: its requests get 404 and
 * never reach the catch-all below it, where Traefik v3.2 leaves the router out of its muxer
 * ({@code pkg/server/router/router.go}) and lets them fall through. The one exception, as in
 * Traefik: a rule that does not parse says nothing of which requests it would take, so the router
 * is left out. In every case the router is disabled with its error (the API shows it).
 */
class BrokenRoutersFailClosedTest {

    static Stream<Arguments> brokenRouters() {
        return Stream.of(
                Arguments.of("a middleware that does not exist",
                        "{rule: \"PathPrefix(`/admin`)\", service: admin, middlewares: [nosuch]}", "", 404),
                Arguments.of("a middleware that cannot be built",
                        "{rule: \"PathPrefix(`/admin`)\", service: admin, middlewares: [bad]}",
                        "bad: {replacePathRegex: {regex: \"^/(\", replacement: /x}}", 404),
                Arguments.of("a chain that contains itself",
                        "{rule: \"PathPrefix(`/admin`)\", service: admin, middlewares: [loop]}",
                        "loop: {chain: {middlewares: [loop]}}", 404),
                Arguments.of("a service that does not exist", "{rule: \"PathPrefix(`/admin`)\", service: nosuch}", "", 404),
                Arguments.of("a router without a service", "{rule: \"PathPrefix(`/admin`)\"}", "", 404),
                Arguments.of("a weighted service naming a service that does not exist",
                        "{rule: \"PathPrefix(`/admin`)\", service: split}", "", 404),
                Arguments.of("an entry point that does not exist",
                        "{rule: \"PathPrefix(`/admin`)\", service: admin, entryPoints: [nosuch]}", "", 200),
                Arguments.of("a rule that does not parse (left out, as in Traefik)",
                        "{rule: \"PathPrefix(`/admin`\", service: admin}", "", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRouters")
    void theRequestsOfABrokenRouterNeverReachTheCatchAll(String broken, String router, String middleware, int status)
            throws Exception {
        try (Backend pub = new Backend("public"); Backend admin = new Backend("admin");
                ProxyFixture proxy = ProxyFixture.start("""
                        http:
                          routers:
                            all: {rule: "PathPrefix(`/`)", service: public}
                            admin: %s
                          middlewares:
                            ok: {headers: {customRequestHeaders: {X-Ok: "1"}}}
                            %s
                          services:
                            public: {loadBalancer: {servers: [{url: "%s"}]}}
                            admin: {loadBalancer: {servers: [{url: "%s"}]}}
                            split: {weighted: {services: [{name: admin, weight: 1}, {name: nosuch, weight: 1}]}}
                        """.formatted(router, middleware, pub.url(), admin.url()))) {
            ContentResponse r = proxy.get("/admin/page");
            assertEquals(status, r.getStatus(), broken + ": " + r.getContentAsString());
            RouterInfo info = proxy.proxy().runtime().routers().get("admin@file");
            if (status == 404) {
                assertEquals("404 page not found\n", r.getContentAsString());
                assertEquals(0, pub.count(), broken + ": the catch-all served the broken router's request");
                assertEquals("disabled", info.status().json(), broken);
            } else {
                assertEquals("public", r.getContentAsString(), broken + ": nothing is known to close");
                assertTrue(!info.errors().isEmpty(), broken + ": the problem is still reported");
            }
            assertEquals(0, admin.count());
            assertEquals(200, proxy.get("/other").getStatus(), "the other routers keep serving");
        }
    }
}

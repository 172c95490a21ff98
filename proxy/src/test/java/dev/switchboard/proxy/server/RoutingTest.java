package dev.switchboard.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests through a real proxy to real backends on loopback: routing by each matcher, priority, weights. */
class RoutingTest {
    private Backend a;
    private Backend b;
    private ProxyFixture proxy;

    @BeforeEach
    void backends() throws Exception {
        a = new Backend("a");
        b = new Backend("b");
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        a.close();
        b.close();
    }

    private String services() {
        return """
                  services:
                    a:
                      loadBalancer:
                        servers: [{url: "%s"}]
                    b:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(a.url(), b.url());
    }

    @Test
    void theHandoutExampleAlternatesBetweenTwoServers() throws Exception {
        // The course's file-provider example: one router, a StripPrefix middleware, two servers.
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    app1:
                      rule: "Host(`app1.localhost`) || PathPrefix(`/app1`)"
                      middlewares: [app1-strip]
                      service: app1
                  middlewares:
                    app1-strip:
                      stripPrefix:
                        prefixes: [/app1]
                  services:
                    app1:
                      loadBalancer:
                        servers:
                          - url: "%s"
                          - url: "%s"
                """.formatted(a.url(), b.url()));
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(proxy.get("/app1/users/1").getContentAsString());
        }
        assertEquals(List.of("a", "b", "a", "b", "a", "b"), answers);
        assertEquals("/users/1", a.last().path(), "the prefix is stripped");
        assertEquals("/app1", a.last().header("X-Forwarded-Prefix"));
        assertEquals("a", proxy.get("app1.localhost", "/users").getContentAsString());
        assertEquals("/users", a.last().path(), "no prefix to strip when routed by Host");
    }

    @Test
    void eachMatcherRoutes() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    host:      {rule: "Host(`a.localhost`)", service: a}
                    hostre:    {rule: "HostRegexp(`^b[0-9]+\\\\.localhost$`)", service: b}
                    path:      {rule: "Path(`/exact`)", service: a}
                    prefix:    {rule: "PathPrefix(`/pre`)", service: b}
                    pathre:    {rule: "PathRegexp(`^/items/[0-9]+$`)", service: a}
                    method:    {rule: "Method(`DELETE`)", service: b}
                    header:    {rule: "Header(`X-Env`, `canary`)", service: a}
                    headerre:  {rule: "HeaderRegexp(`X-Team`, `^blue`)", service: b}
                    query:     {rule: "Query(`v`, `2`)", service: a}
                    queryre:   {rule: "QueryRegexp(`w`, `^[xy]$`)", service: b}
                    clientip:  {rule: "ClientIP(`127.0.0.0/8`) && PathPrefix(`/local`)", service: a}
                %s""".formatted(services()));
        assertEquals("a", proxy.get("a.localhost", "/x").getContentAsString());
        assertEquals("a", proxy.get("A.LOCALHOST:1234", "/x").getContentAsString(), "Host ignores case and port");
        assertEquals("b", proxy.get("b42.localhost", "/x").getContentAsString());
        assertEquals("a", proxy.get("/exact").getContentAsString());
        assertEquals(404, proxy.get("/exact/more").getStatus());
        assertEquals("b", proxy.get("/prefix-and-more").getContentAsString());
        assertEquals("a", proxy.get("/items/7").getContentAsString());
        assertEquals("b", proxy.request("/anything").method("DELETE").send().getContentAsString());
        assertEquals("a", proxy.request("/h").headers(h -> h.put("X-Env", "canary")).send().getContentAsString());
        assertEquals("b", proxy.request("/h").headers(h -> h.put("X-Team", "blue-7")).send().getContentAsString());
        assertEquals("a", proxy.get("/q?v=2").getContentAsString());
        assertEquals("b", proxy.get("/q?w=y").getContentAsString());
        assertEquals("a", proxy.get("/local/x").getContentAsString());
        assertEquals(404, proxy.get("/nothing-matches").getStatus());
    }

    @Test
    void longerRulesWinUnlessAPriorityIsGiven() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    short: {rule: "PathPrefix(`/`)", service: a}
                    long:  {rule: "PathPrefix(`/api`)", service: b}
                %s""".formatted(services()));
        assertEquals("b", proxy.get("/api/x").getContentAsString(), "the longer rule has the higher default priority");
        assertEquals("a", proxy.get("/web").getContentAsString());

        proxy.close();
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    short: {rule: "PathPrefix(`/`)", service: a, priority: 100}
                    long:  {rule: "PathPrefix(`/api`)", service: b}
                %s""".formatted(services()));
        assertEquals("a", proxy.get("/api/x").getContentAsString(), "an explicit priority wins");
    }

    @Test
    void weightsAreHonouredSmoothly() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s:
                      loadBalancer:
                        servers:
                          - {url: "%s", weight: 3}
                          - {url: "%s", weight: 1}
                """.formatted(a.url(), b.url()));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(proxy.get("/").getContentAsString());
        }
        assertEquals("aabaaaba", order.toString(), "3:1 spread out (nginx order), not aaab");
    }

    @Test
    void invalidRoutersAreDisabledAndTheOthersServe() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    good:       {rule: "PathPrefix(`/good`)", service: a}
                    badrule:    {rule: "PathPrefix(good)", service: a}
                    nosvc:      {rule: "PathPrefix(`/nosvc`)", service: missing}
                    nomw:       {rule: "PathPrefix(`/nomw`)", service: a, middlewares: [x]}
                    badep:      {rule: "PathPrefix(`/badep`)", service: a, entryPoints: [websecure]}
                %s""".formatted(services()));
        assertEquals("a", proxy.get("/good").getContentAsString());
        assertEquals(404, proxy.get("/nosvc").getStatus());
        assertEquals(404, proxy.get("/nomw").getStatus());
        var routers = proxy.proxy().runtime().routers();
        assertEquals("enabled", routers.get("good@file").status().json());
        assertEquals("disabled", routers.get("badrule@file").status().json());
        assertTrue(routers.get("badrule@file").errors().get(0).contains("must be quoted with backticks or double quotes: write PathPrefix(`good`)"));
        assertEquals(List.of("the service \"missing@file\" does not exist"), routers.get("nosvc@file").errors());
        assertEquals(List.of("middleware \"x@file\" does not exist"), routers.get("nomw@file").errors());
        assertEquals("disabled", routers.get("badep@file").status().json());
        assertTrue(routers.get("badep@file").errors().contains("no valid entryPoint for this router"));
        assertEquals("dynamic.yml:4", routers.get("badrule@file").source().replaceAll(".*/", ""),
                "errors keep where the router was written");
    }

    @Test
    void chainsExpandAndRecursionIsAnError() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    ok:   {rule: "PathPrefix(`/ok`)", service: a, middlewares: [c1]}
                    loop: {rule: "PathPrefix(`/loop`)", service: a, middlewares: [l1]}
                  middlewares:
                    c1: {chain: {middlewares: [strip-ok]}}
                    strip-ok: {stripPrefix: {prefixes: [/ok]}}
                    l1: {chain: {middlewares: [l2]}}
                    l2: {chain: {middlewares: [l1]}}
                %s""".formatted(services()));
        assertEquals("a", proxy.get("/ok/x").getContentAsString());
        assertEquals("/x", a.last().path());
        assertEquals(404, proxy.get("/loop").getStatus());
        String error = proxy.proxy().runtime().routers().get("loop@file").errors().get(0);
        assertEquals("recursion detected in chain: l1@file -> l2@file -> l1@file", error);
    }

    @Test
    void passHostHeader() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    pass: {rule: "PathPrefix(`/pass`)", service: pass}
                    own:  {rule: "PathPrefix(`/own`)", service: own}
                  services:
                    pass:
                      loadBalancer: {servers: [{url: "%1$s"}]}
                    own:
                      loadBalancer: {servers: [{url: "%1$s"}], passHostHeader: false}
                """.formatted(a.url()));
        proxy.get("client.example", "/pass");
        assertEquals("client.example", a.last().header("Host"));
        proxy.get("client.example", "/own");
        assertEquals("127.0.0.1:" + a.port(), a.last().header("Host"));
    }

    @Test
    void requestBodiesAndQueriesAreForwardedUnchanged() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: a}
                %s""".formatted(services()));
        ContentResponse r = proxy.request("/users?sort=name&x=%20y").method("POST")
                .body(new org.eclipse.jetty.client.StringRequestContent("application/json", "{\"name\":\"ada\"}")).send();
        assertEquals(200, r.getStatus());
        assertEquals("POST", a.last().method());
        assertEquals("sort=name&x=%20y", a.last().query());
        assertEquals("{\"name\":\"ada\"}", a.last().body());
        assertEquals("application/json", a.last().header("Content-Type"));
    }
}

package dev.switchboard.proxy.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Clients;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Distribution through a real proxy to real backends: each strategy, weights, affinity, sticky cookies. */
class LoadBalancingTest {
    private final List<Backend> backends = new ArrayList<>();
    private final List<HttpClient> clients = new ArrayList<>();
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (HttpClient c : clients) {
            c.stop();
        }
        for (Backend b : backends) {
            b.close();
        }
    }

    private Backend backend(String name) throws Exception {
        Backend b = new Backend(name);
        backends.add(b);
        return b;
    }

    private HttpClient client(String source) throws Exception {
        HttpClient c = Clients.from(source);
        clients.add(c);
        return c;
    }

    /** A router on / to service s with the given loadBalancer body (servers appended). */
    static String config(String loadBalancerExtra, Map<Backend, Integer> servers) {
        String list = servers.entrySet().stream()
                .map(e -> "          - {url: \"" + e.getKey().url() + "\", weight: " + e.getValue() + "}")
                .collect(Collectors.joining("\n"));
        return """
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s:
                      loadBalancer:
                %s
                        servers:
                %s
                """.formatted(loadBalancerExtra.indent(8).stripTrailing(), list);
    }

    private static Map<Backend, Integer> equal(List<Backend> list) {
        Map<Backend, Integer> m = new LinkedHashMap<>();
        list.forEach(b -> m.put(b, 1));
        return m;
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        backends.forEach(b -> m.put(b.name(), b.count()));
        return m;
    }

    @Test
    void roundRobinIsEvenToWithinOneRequest() throws Exception {
        List<Backend> four = List.of(backend("a"), backend("b"), backend("c"), backend("d"));
        proxy = ProxyFixture.start(config("strategy: wrr", equal(four)));
        for (int i = 1; i <= 43; i++) {
            assertEquals(200, proxy.get("/").getStatus());
            int max = four.stream().mapToInt(Backend::count).max().orElseThrow();
            int min = four.stream().mapToInt(Backend::count).min().orElseThrow();
            assertTrue(max - min <= 1, "after " + i + " requests: " + counts());
        }
    }

    @Test
    void weightsAreHonoured() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend c = backend("c");
        Map<Backend, Integer> weights = new LinkedHashMap<>();
        weights.put(a, 3);
        weights.put(b, 1);
        weights.put(c, 0);
        proxy = ProxyFixture.start(config("strategy: wrr", weights));
        for (int i = 0; i < 40; i++) {
            assertEquals(200, proxy.get("/").getStatus());
        }
        assertEquals(Map.of("a", 30, "b", 10, "c", 0), Map.copyOf(counts()));
    }

    /** Concurrent load on two fast servers and one that takes 200 ms per request. */
    private Map<String, Integer> underLoadWithOneSlowServer(String strategy) throws Exception {
        Backend fast1 = backend("fast1");
        Backend fast2 = backend("fast2");
        Backend slow = backend("slow");
        slow.behave((backend, request, response, callback) -> {
            Thread.sleep(200);
            response.write(true, ByteBuffer.wrap("slow".getBytes(StandardCharsets.UTF_8)), callback);
        });
        proxy = ProxyFixture.start(config("strategy: " + strategy, equal(List.of(fast1, fast2, slow))));
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            loops.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 40; i++) {
                    try {
                        assertEquals(200, proxy.get("/").getStatus());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        Map<String, Integer> counts = counts();
        System.out.printf("%s with one slow server, 320 requests from 8 clients: %s%n", strategy, counts);
        return counts;
    }

    @Test
    void leastConnectionsSteersAwayFromASlowServer() throws Exception {
        Map<String, Integer> counts = underLoadWithOneSlowServer("leastconn");
        assertTrue(counts.get("slow") < 54, "the slow server gets under a sixth (round robin would give it a third): " + counts);
    }

    @Test
    void leastTimeSteersAwayFromASlowServer() throws Exception {
        Map<String, Integer> counts = underLoadWithOneSlowServer("leasttime");
        assertTrue(counts.get("slow") < 54, "the slow server gets under a sixth (round robin would give it a third): " + counts);
    }

    @Test
    void powerOfTwoChoicesSpreadsAndSteersAwayFromASlowServer() throws Exception {
        Map<String, Integer> counts = underLoadWithOneSlowServer("p2c");
        assertTrue(counts.get("fast1") > 0 && counts.get("fast2") > 0, counts::toString);
        assertTrue(counts.get("slow") < 80, "the slow server gets under a quarter (round robin: a third): " + counts);
    }

    @Test
    void hrwKeepsEachClientIpOnOneServerAndMovesOnlyTheRemovedServersClients() throws Exception {
        List<Backend> four = List.of(backend("a"), backend("b"), backend("c"), backend("d"));
        proxy = ProxyFixture.start(config("strategy: hrw", equal(four)));
        Map<String, String> serverOf = new HashMap<>();
        for (int i = 2; i <= 25; i++) {
            String source = "127.0.0." + i;
            HttpClient c = client(source);
            String first = null;
            for (int k = 0; k < 5; k++) {
                ContentResponse r = c.newRequest(proxy.url("web", "/")).timeout(10, TimeUnit.SECONDS).send();
                assertEquals(200, r.getStatus());
                if (first == null) {
                    first = r.getContentAsString();
                }
                assertEquals(first, r.getContentAsString(), "client " + source + " stays on one server");
            }
            serverOf.put(source, first);
        }
        assertTrue(serverOf.values().stream().distinct().count() >= 3, "24 clients spread over the servers: " + serverOf);

        String removed = serverOf.get("127.0.0.2");
        List<Backend> rest = four.stream().filter(b -> !b.name().equals(removed)).toList();
        proxy.writeDynamic(config("strategy: hrw", equal(rest)));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().states().servers("s@file").size() == 3);
        for (Map.Entry<String, String> e : serverOf.entrySet()) {
            HttpClient c = clients.get(Integer.parseInt(e.getKey().substring("127.0.0.".length())) - 2);
            String now = c.newRequest(proxy.url("web", "/")).timeout(10, TimeUnit.SECONDS).send().getContentAsString();
            if (e.getValue().equals(removed)) {
                assertNotEquals(removed, now);
            } else {
                assertEquals(e.getValue(), now, "client " + e.getKey() + " of a remaining server keeps it");
            }
        }
    }

    @Test
    void stickyCookieIsHonouredAndRebalancedWhenItsServerDies() throws Exception {
        List<Backend> three = List.of(backend("a"), backend("b"), backend("c"));
        proxy = ProxyFixture.start(config("""
                sticky:
                  cookie: {httpOnly: true, secure: true, sameSite: lax, maxAge: 60}""", equal(three)),
                ProxyFixture.SWITCHBOARD_PROFILE);
        HttpClient c = client(null);
        ContentResponse first = c.newRequest(proxy.url("web", "/")).send();
        String setCookie = first.getHeaders().get("Set-Cookie");
        assertNotNull(setCookie);
        String name = StickyCookie.generateName("s@file");
        assertTrue(setCookie.startsWith(name + "="), setCookie);
        assertTrue(setCookie.endsWith("; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String server = first.getContentAsString();
        String url = three.stream().filter(b -> b.name().equals(server)).findFirst().orElseThrow().url();
        assertEquals(name + "=" + StickyCookie.valueOf(url), cookie, "the value is a hash of the server URL, not the URL");

        for (int i = 0; i < 10; i++) {
            ContentResponse r = c.newRequest(proxy.url("web", "/")).headers(h -> h.put("Cookie", cookie)).send();
            assertEquals(server, r.getContentAsString());
            assertNull(r.getHeaders().get("Set-Cookie"), "an honoured cookie is not set again");
        }
        ContentResponse unknown = c.newRequest(proxy.url("web", "/")).headers(h -> h.put("Cookie", name + "=0123456789abcdef"))
                .send();
        assertEquals(200, unknown.getStatus());
        assertNotNull(unknown.getHeaders().get("Set-Cookie"), "a cookie naming no server gets a new one");

        three.stream().filter(b -> b.name().equals(server)).findFirst().orElseThrow().close();
        ContentResponse after = c.newRequest(proxy.url("web", "/")).headers(h -> h.put("Cookie", cookie)).send();
        assertEquals(200, after.getStatus(), "the dead server's request was sent elsewhere");
        assertNotEquals(server, after.getContentAsString());
        String renewed = after.getHeaders().get("Set-Cookie");
        assertNotNull(renewed, "a new cookie names the new server");
        assertTrue(renewed.startsWith(name + "=" + StickyCookie.valueOf(
                three.stream().filter(b -> b.name().equals(after.getContentAsString())).findFirst().orElseThrow().url())),
                renewed);
    }

    /**
     * Traefik v3.2: a sticky cookie naming a dead server keeps sending its client there (502) until
     * the health check marks the server down; then the cookie is ignored and a new one is set.
     */
    @Test
    void aStickyCookieNamingADeadServerGetsBadGatewaysUntilTheHealthCheckTakesItOut() throws Exception {
        List<Backend> two = List.of(backend("a"), backend("b"));
        proxy = ProxyFixture.start(config("""
                sticky: {cookie: {name: lb}}
                healthCheck: {path: /health, interval: 500ms, timeout: 3s}""", equal(two)));
        HttpClient c = client(null);
        ContentResponse first = c.newRequest(proxy.url("web", "/")).send();
        String cookie = first.getHeaders().get("Set-Cookie");
        cookie = cookie.substring(0, cookie.indexOf(';'));
        String server = first.getContentAsString();
        Backend sticky = two.stream().filter(b -> b.name().equals(server)).findFirst().orElseThrow();
        String stickyUrl = sticky.url();
        sticky.close();
        String sent = cookie;
        ContentResponse dead = c.newRequest(proxy.url("web", "/")).headers(h -> h.put("Cookie", sent)).send();
        assertEquals(502, dead.getStatus(), "the cookie still names a server nothing has found down");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().states().servers("s@file").stream()
                .anyMatch(s -> s.url().equals(stickyUrl) && s.status().equals("DOWN")));
        ContentResponse after = c.newRequest(proxy.url("web", "/")).headers(h -> h.put("Cookie", sent)).send();
        assertEquals(200, after.getStatus());
        assertNotEquals(server, after.getContentAsString());
        assertNotNull(after.getHeaders().get("Set-Cookie"), "a new cookie names the server that answered");
    }

    @Test
    void cookiesWrittenByOlderTraefikVersionsAreHonouredAndRewritten() throws Exception {
        List<Backend> two = List.of(backend("a"), backend("b"));
        proxy = ProxyFixture.start(config("sticky: {cookie: {name: lb}}", equal(two)));
        HttpClient c = client(null);
        Backend b = two.get(1);
        for (String old : List.of(b.url(), StickyCookie.fnv64(b.url()), StickyCookie.fnv64(StickyCookie.fnv64(b.url())))) {
            for (int i = 0; i < 3; i++) {
                ContentResponse r = c.newRequest(proxy.url("web", "/")).headers(h -> h.put("Cookie", "lb=" + old)).send();
                assertEquals("b", r.getContentAsString(), old);
                assertEquals("lb=" + StickyCookie.valueOf(b.url()) + "; Path=/", r.getHeaders().get("Set-Cookie"));
            }
        }
    }

    @Test
    void stickyCookieWithAGivenName() throws Exception {
        List<Backend> two = List.of(backend("a"), backend("b"));
        proxy = ProxyFixture.start(config("sticky: {cookie: {name: \"my session\", path: /app, domain: example.org}}",
                equal(two)));
        HttpClient c = client(null);
        String setCookie = c.newRequest(proxy.url("web", "/")).send().getHeaders().get("Set-Cookie");
        assertTrue(setCookie.startsWith("my_session="), "sanitised as Traefik does: " + setCookie);
        assertTrue(setCookie.endsWith("; Path=/app; Domain=example.org"), setCookie);
    }

    @Test
    void noServerLeft503() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start(config("healthCheck: {path: /health, interval: 100ms, timeout: 1s}", equal(List.of(a))));
        assertEquals(200, proxy.get("/").getStatus());
        a.behave((backend, request, response, callback) -> {
            response.setStatus(request.getHttpURI().getPath().equals("/health") ? 500 : 200);
            callback.succeeded();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.get("/").getStatus() == 503);
        ContentResponse r = proxy.get("/");
        assertEquals("no available server\n", r.getContentAsString());
    }
}

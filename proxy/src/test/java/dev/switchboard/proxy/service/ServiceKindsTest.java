package dev.switchboard.proxy.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.runtime.Status;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Clients;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.upstream.ServerState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service kinds above load balancers: weighted (canary), mirroring, failover. */
class ServiceKindsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private Backend backend(String name) throws Exception {
        Backend b = new Backend(name);
        closeables.add(b);
        return b;
    }

    private static Backend.Behaviour healthStatus(AtomicInteger status) {
        return (backend, request, response, callback) -> {
            if (request.getHttpURI().getPath().equals("/health")) {
                response.setStatus(status.get());
                callback.succeeded();
            } else {
                response.write(true, ByteBuffer.wrap(backend.name().getBytes(StandardCharsets.UTF_8)), callback);
            }
        };
    }

    @Test
    void weightedSplitsTrafficByWeightForACanary() throws Exception {
        Backend v1 = backend("v1");
        Backend v2 = backend("v2");
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app:
                      weighted:
                        services:
                          - {name: app-v1, weight: 9}
                          - {name: app-v2, weight: 1}
                    app-v1: {loadBalancer: {servers: [{url: "%s"}]}}
                    app-v2: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(v1.url(), v2.url()));
        for (int i = 0; i < 50; i++) {
            assertEquals(200, proxy.get("/").getStatus());
        }
        assertEquals(45, v1.count());
        assertEquals(5, v2.count());
        var children = proxy.proxy().states().children("app@file");
        assertEquals(2, children.size());
        assertEquals(50, children.stream().mapToLong(ServerState::requests).sum());
    }

    @Test
    void weightedSkipsAChildThatIsDownAndIsStickyByCookie() throws Exception {
        Backend v1 = backend("v1");
        Backend v2 = backend("v2");
        AtomicInteger v2Health = new AtomicInteger(200);
        v2.behave(healthStatus(v2Health));
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app:
                      weighted:
                        services: [{name: app-v1}, {name: app-v2}]
                        sticky: {cookie: {name: canary}}
                        healthCheck: {}
                    app-v1: {loadBalancer: {servers: [{url: "%s"}]}}
                    app-v2:
                      loadBalancer:
                        servers: [{url: "%s"}]
                        healthCheck: {path: /health, interval: 100ms}
                """.formatted(v1.url(), v2.url()), ProxyFixture.SWITCHBOARD_PROFILE);
        HttpClient c = Clients.plain();
        closeables.add(c::stop);
        String target = proxy.url("web", "/");
        String cookieFor2 = null;
        for (int i = 0; i < 4 && cookieFor2 == null; i++) {
            ContentResponse r = c.newRequest(target).send();
            if (r.getContentAsString().equals("v2")) {
                String setCookie = r.getHeaders().get("Set-Cookie");
                cookieFor2 = setCookie.substring(0, setCookie.indexOf(';'));
            }
        }
        assertEquals("canary=" + StickyCookie.valueOf("app-v2@file"), cookieFor2);
        String cookie = cookieFor2;
        for (int i = 0; i < 5; i++) {
            assertEquals("v2", c.newRequest(target).headers(h -> h.put("Cookie", cookie)).send().getContentAsString());
        }
        v2Health.set(500);
        await().atMost(PATIENCE).until(() -> !proxy.proxy().states().servers("app-v2@file").iterator().next().available());
        for (int i = 0; i < 6; i++) {
            ContentResponse r = c.newRequest(target).headers(h -> h.put("Cookie", cookie)).send();
            assertEquals("v1", r.getContentAsString(), "the child that is down is skipped, even with its cookie");
            assertNotNull(r.getHeaders().get("Set-Cookie"));
        }
    }

    @Test
    void mirroringCopiesAShareOfRequestsWithTheirBodyAndDiscardsTheAnswers() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirror.behave((backend, request, response, callback) -> {
            response.setStatus(500);
            response.write(true, ByteBuffer.wrap("mirror says no".getBytes(StandardCharsets.UTF_8)), callback);
        });
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: shadow}
                  services:
                    shadow:
                      mirroring:
                        service: main
                        mirrors: [{name: copy, percent: 50}]
                    main: {loadBalancer: {servers: [{url: "%s"}]}}
                    copy: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(main.url(), mirror.url()));
        for (int i = 0; i < 10; i++) {
            ContentResponse r = proxy.request("/orders?n=" + i).method("POST").headers(h -> h.put("X-Trace", "t"))
                    .body(new StringRequestContent("text/plain", "order " + i)).send();
            assertEquals(200, r.getStatus(), "the mirror's 500 never reaches the client");
            assertEquals("main", r.getContentAsString());
        }
        assertEquals(10, main.count());
        await().atMost(PATIENCE).until(() -> mirror.count() == 5);
        for (Backend.Seen seen : mirror.seen()) {
            assertEquals("POST", seen.method());
            assertEquals("/orders", seen.path());
            assertEquals("t", seen.header("X-Trace"));
            assertTrue(seen.body().startsWith("order "), seen.body());
            assertEquals("order " + seen.query().substring(2), seen.body(), "each copy carries its own body");
            assertNotNull(seen.header("X-Forwarded-For"));
        }
    }

    @Test
    void aSlowOrDeadMirrorDoesNotTouchTheMainResponseAndLargeBodiesAreNotMirrored() throws Exception {
        Backend main = backend("main");
        Backend slowMirror = backend("slow");
        CompletableFuture<Void> release = new CompletableFuture<>();
        closeables.add(() -> release.complete(null));
        slowMirror.behave((backend, request, response, callback) -> release.whenComplete((v, t) -> callback.succeeded()));
        Backend dead = backend("dead");
        String deadUrl = dead.url();
        dead.close();
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: shadow}
                  services:
                    shadow:
                      mirroring:
                        service: main
                        maxBodySize: 8
                        mirrors: [{name: slow, percent: 100}, {name: dead, percent: 100}]
                    main: {loadBalancer: {servers: [{url: "%s"}]}}
                    slow: {loadBalancer: {servers: [{url: "%s"}]}}
                    dead: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(main.url(), slowMirror.url(), deadUrl));
        for (int i = 0; i < 5; i++) {
            assertEquals("main", proxy.get("/").getContentAsString());
        }
        await().atMost(PATIENCE).until(() -> slowMirror.count() == 5);
        ContentResponse big = proxy.request("/").method("PUT").body(new StringRequestContent("text/plain", "more than eight"))
                .send();
        assertEquals(200, big.getStatus());
        assertEquals("more than eight", main.last().body(), "the main service gets the whole body");
        Thread.sleep(200);
        assertEquals(5, slowMirror.count(), "a body over maxBodySize is not mirrored");
    }

    @Test
    void failoverUsesTheFallbackWhileTheMainServiceIsDown() throws Exception {
        Backend primary = backend("primary");
        Backend backup = backend("backup");
        AtomicInteger health = new AtomicInteger(200);
        primary.behave(healthStatus(health));
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app:
                      failover: {service: main, fallback: backup}
                    main:
                      loadBalancer:
                        servers: [{url: "%s"}]
                        healthCheck: {path: /health, interval: 100ms}
                    backup: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(primary.url(), backup.url()));
        assertEquals("primary", proxy.get("/").getContentAsString());
        health.set(503);
        await().atMost(PATIENCE).until(() -> proxy.get("/").getContentAsString().equals("backup"));
        health.set(200);
        await().atMost(PATIENCE).until(() -> proxy.get("/").getContentAsString().equals("primary"));
    }

    @Test
    void failoverOnPassiveHealthAloneWhenTheMainServerDies() throws Exception {
        Backend primary = backend("primary");
        Backend backup = backend("backup");
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app: {failover: {service: main, fallback: backup}}
                    main: {loadBalancer: {servers: [{url: "%s"}]}}
                    backup: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(primary.url(), backup.url()), ProxyFixture.SWITCHBOARD_PROFILE);
        assertEquals("primary", proxy.get("/").getContentAsString());
        primary.close();
        // The request that found it dead is re-sent (autoRetry) through the failover service, whose main
        // service is now down: it reaches the backup too.
        assertEquals("backup", proxy.get("/").getContentAsString(), "the request that found it dead");
        for (int i = 0; i < 5; i++) {
            assertEquals("backup", proxy.get("/").getContentAsString());
        }
    }

    /**
     * Traefik v3.2: a weighted service without {@code healthCheck: {}} does not follow its children,
     * so a child whose servers are all down still gets its share, and answers 503.
     */
    @Test
    void aWeightedServiceWithoutHealthCheckSendsItsShareToAChildThatIsDown() throws Exception {
        Backend v1 = backend("v1");
        Backend v2 = backend("v2");
        AtomicInteger v2Health = new AtomicInteger(500);
        v2.behave(healthStatus(v2Health));
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app:
                      weighted:
                        services: [{name: app-v1}, {name: app-v2}]
                    app-v1: {loadBalancer: {servers: [{url: "%s"}]}}
                    app-v2:
                      loadBalancer:
                        servers: [{url: "%s"}]
                        healthCheck: {path: /health, interval: 100ms}
                """.formatted(v1.url(), v2.url()));
        await().atMost(PATIENCE).until(() -> !proxy.proxy().states().servers("app-v2@file").iterator().next().available());
        int unavailable = 0;
        for (int i = 0; i < 4; i++) {
            ContentResponse r = proxy.get("/");
            if (r.getStatus() == 503) {
                assertEquals("no available server\n", r.getContentAsString(), "the child answers for itself");
                unavailable++;
            } else {
                assertEquals("v1", r.getContentAsString());
            }
        }
        assertEquals(2, unavailable, "half the requests reach the child that is down");
    }

    /**
     * Traefik v3.2 registers a failover service for its main service's health, which only a health
     * check reports: a failover whose main service has none is an error, and its router serves nothing.
     */
    @Test
    void aFailoverWhoseMainServiceHasNoHealthCheckIsAnError() throws Exception {
        Backend primary = backend("primary");
        Backend backup = backend("backup");
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app: {failover: {service: main, fallback: backup}}
                    main: {loadBalancer: {servers: [{url: "%s"}]}}
                    backup: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(primary.url(), backup.url()));
        ServiceInfo app = proxy.proxy().runtime().services().get("app@file");
        assertEquals(Status.DISABLED, app.status());
        assertTrue(app.errors().get(0).contains("follows the health of main@file, which reports none: give it a healthCheck"),
                app.errors()::toString);
        assertEquals(404, proxy.get("/").getStatus(), "the router is left out, not served by another");
    }

    /**
     * Traefik v3.2: with {@code healthCheck: {}} the failover follows its fallback too, and answers
     * {@code 503 Service Unavailable} when both are down.
     */
    @Test
    void aFailoverWithBothServicesDownAnswersServiceUnavailable() throws Exception {
        Backend primary = backend("primary");
        Backend backup = backend("backup");
        AtomicInteger health = new AtomicInteger(200);
        primary.behave(healthStatus(health));
        backup.behave(healthStatus(health));
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app}
                  services:
                    app: {failover: {service: main, fallback: backup, healthCheck: {}}}
                    main:
                      loadBalancer:
                        servers: [{url: "%s"}]
                        healthCheck: {path: /health, interval: 100ms}
                    backup:
                      loadBalancer:
                        servers: [{url: "%s"}]
                        healthCheck: {path: /health, interval: 100ms}
                """.formatted(primary.url(), backup.url()));
        assertEquals("primary", proxy.get("/").getContentAsString());
        health.set(500);
        await().atMost(PATIENCE).until(() -> proxy.proxy().states().servers("main@file").iterator().next().status().equals("DOWN")
                && proxy.proxy().states().servers("backup@file").iterator().next().status().equals("DOWN"));
        ContentResponse r = proxy.get("/");
        assertEquals(503, r.getStatus());
        assertEquals("Service Unavailable\n", r.getContentAsString(), "Traefik's failover answer, not the balancer's");
    }

    @Test
    void brokenServiceGraphsAreErrorsOnTheService() throws Exception {
        Backend a = backend("a");
        proxy = ProxyFixture.start("""
                http:
                  services:
                    loop1: {weighted: {services: [{name: loop2}]}}
                    loop2: {failover: {service: loop1, fallback: a}}
                    a: {loadBalancer: {servers: [{url: "%s"}]}}
                    percent: {mirroring: {service: a, mirrors: [{name: a, percent: 150}]}}
                    missing: {weighted: {services: [{name: nope}]}}
                    nofallback: {failover: {service: a}}
                """.formatted(a.url()));
        var services = proxy.proxy().runtime().services();
        assertTrue(services.get("loop1@file").errors().stream().anyMatch(e -> e.contains("service recursion")),
                services.get("loop1@file").errors()::toString);
        assertTrue(services.get("percent@file").errors().get(0).contains("percent must be between 0 and 100, got 150"));
        assertTrue(services.get("missing@file").errors().get(0).contains("the service \"nope@file\" does not exist"));
        assertTrue(services.get("nofallback@file").errors().get(0).contains("needs service and fallback"));
        assertEquals(Status.ENABLED, services.get("a@file").status());
    }

    @Test
    void weightedAndMirroringTogether() throws Exception {
        Backend v1 = backend("v1");
        Backend v2 = backend("v2");
        Backend shadow = backend("shadow");
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: top}
                  services:
                    top: {mirroring: {service: split, mirrors: [{name: split-shadow, percent: 100}]}}
                    split: {weighted: {services: [{name: v1, weight: 1}, {name: v2, weight: 1}]}}
                    split-shadow: {weighted: {services: [{name: shadow}]}}
                    v1: {loadBalancer: {servers: [{url: "%s"}]}}
                    v2: {loadBalancer: {servers: [{url: "%s"}]}}
                    shadow: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(v1.url(), v2.url(), shadow.url()));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, proxy.request("/").timeout(5, TimeUnit.SECONDS).send().getStatus());
        }
        assertEquals(2, v1.count());
        assertEquals(2, v2.count());
        await().atMost(PATIENCE).until(() -> shadow.count() == 4);
    }
}

package dev.switchboard.proxy.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of a real proxy with real backends, read back as Prometheus reads it: Traefik's
 * names and labels, counts that match the requests sent, server health, retries, reloads.
 */
class PrometheusMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

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

    private String twoServices(String app1Servers) {
        return """
                http:
                  routers:
                    app1:
                      rule: "PathPrefix(`/app1`)"
                      service: app1
                    app2:
                      rule: "PathPrefix(`/app2`)"
                      service: app2
                  services:
                    app1:
                      loadBalancer:
                        servers: [%s]
                    app2:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(app1Servers, b.url());
    }

    private ProxyFixture start(String yaml, String... flags) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--metrics.prometheus=true", "--entrypoints.traefik.address=127.0.0.1:0"));
        all.addAll(List.of(flags));
        proxy = ProxyFixture.start(yaml, all.toArray(String[]::new));
        return proxy;
    }

    private Scrape scrape(String entryPoint) throws Exception {
        ContentResponse r = proxy.client().newRequest(proxy.url(entryPoint, "/metrics")).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, r.getStatus(), r.getContentAsString());
        assertTrue(r.getHeaders().get("Content-Type").startsWith("text/plain; version=0.0.4"), r.getHeaders().get("Content-Type"));
        return Scrape.parse(r.getContentAsString());
    }

    @Test
    void entryPointAndServiceMetricsCountWhatWasSent() throws Exception {
        start(twoServices("{url: \"%s\"}".formatted(a.url())));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, proxy.get("/app1/x").getStatus());
        }
        proxy.request("/app2").method("POST").send();
        assertEquals(404, proxy.get("/nowhere").getStatus());

        await().atMost(PATIENCE).untilAsserted(() -> {
            Scrape s = scrape("traefik");
            assertEquals(3, s.value("traefik_entrypoint_requests_total", "code", "200", "method", "GET", "protocol", "http",
                    "entrypoint", "web"));
            assertEquals(1, s.value("traefik_entrypoint_requests_total", "code", "200", "method", "POST", "entrypoint", "web"));
            assertEquals(1, s.value("traefik_entrypoint_requests_total", "code", "404", "entrypoint", "web"),
                    "a request no router matches still counts on its entry point");
            assertEquals(3, s.value("traefik_service_requests_total", "code", "200", "method", "GET", "protocol", "http",
                    "service", "app1@file"));
            assertEquals(1, s.value("traefik_service_requests_total", "method", "POST", "service", "app2@file"));
        });
        Scrape s = scrape("traefik");
        assertEquals(3, s.value("traefik_entrypoint_request_duration_seconds_count", "code", "200", "method", "GET",
                "entrypoint", "web"));
        List<String> bounds = s.find("traefik_entrypoint_request_duration_seconds_bucket", "code", "200", "method", "GET")
                .stream().map(x -> x.labels().get("le")).toList();
        assertEquals(List.of("0.1", "0.3", "1.2", "5.0", "+Inf"), bounds, "Traefik's default buckets");
        assertEquals(3, s.value("traefik_service_request_duration_seconds_count", "code", "200", "service", "app1@file"));
        assertTrue(s.value("traefik_entrypoint_responses_bytes_total", "code", "200", "method", "GET", "entrypoint", "web") > 0);
        assertEquals(1, s.value("traefik_service_server_up", "service", "app1@file", "url", a.url()));
        assertTrue(s.value("traefik_config_reloads_total") >= 1);
        assertTrue(s.value("traefik_config_last_reload_success") > 1.6e9, "a Unix time, as Traefik sets it");
        assertTrue(s.value("traefik_open_connections", "entrypoint", "web", "protocol", "TCP") >= 0);
        assertEquals(1, s.find("traefik_open_connections", "entrypoint", "traefik").size());
        assertFalse(s.has("traefik_router_requests_total"), "router labels are off by default, as in Traefik");
        assertTrue(s.find("traefik_entrypoint_requests_total", "entrypoint", "traefik").isEmpty(),
                "scrapes of /metrics are internal and not counted");
        assertTrue(s.has("process_cpu_seconds_total") || s.has("jvm_threads_current"), "process and JVM metrics");
        assertTrue(s.text().contains("# TYPE traefik_entrypoint_request_duration_seconds histogram"));
    }

    @Test
    void serverDownAndRetriesShowUp() throws Exception {
        Backend dead = new Backend("dead");
        String deadUrl = dead.url();
        dead.close();
        // The switchboard profile: autoRetry re-sends the refused request, passiveRefused takes the server out.
        start(twoServices("{url: \"%s\"}, {url: \"%s\"}".formatted(a.url(), deadUrl)), ProxyFixture.SWITCHBOARD_PROFILE);
        for (int i = 0; i < 4; i++) {
            assertEquals(200, proxy.get("/app1").getStatus(), "the balancer sends the refused request to a instead");
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            Scrape s = scrape("traefik");
            assertTrue(s.value("traefik_service_retries_total", "service", "app1@file") >= 1,
                    "round robin sent a request to the dead server first, and the balancer sent it again to a");
            assertEquals(4, s.value("traefik_service_requests_total", "code", "200", "service", "app1@file"));
        });
        // The refused connection took the dead server out at once (passive health check).
        await().atMost(PATIENCE).untilAsserted(() -> {
            Scrape s = scrape("traefik");
            assertEquals(0, s.value("traefik_service_server_up", "service", "app1@file", "url", deadUrl));
            assertEquals(1, s.value("traefik_service_server_up", "service", "app1@file", "url", a.url()));
        });
    }

    @Test
    void reloadsAreCountedAndRemovedServicesDropTheirSeries() throws Exception {
        start(twoServices("{url: \"%s\"}".formatted(a.url())));
        assertEquals(200, proxy.get("/app2").getStatus());
        await().atMost(PATIENCE).until(() -> !scrape("traefik").find("traefik_service_requests_total", "service", "app2@file").isEmpty());
        double before = scrape("traefik").value("traefik_config_reloads_total");

        proxy.writeDynamic("""
                http:
                  routers:
                    app1:
                      rule: "PathPrefix(`/app1`)"
                      service: app1
                  services:
                    app1:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(a.url()));
        await().atMost(PATIENCE).untilAsserted(() -> {
            Scrape s = scrape("traefik");
            assertEquals(before + 1, s.value("traefik_config_reloads_total"));
            assertTrue(s.find("traefik_service_requests_total", "service", "app2@file").isEmpty(), "app2 is gone");
            assertTrue(s.find("traefik_service_server_up", "service", "app2@file").isEmpty());
        });

        proxy.writeDynamic("http:\n  routers: [oops\n");
        await().atMost(PATIENCE).untilAsserted(() -> {
            Scrape s = scrape("traefik");
            assertEquals(1, s.value("traefik_config_reloads_failure_total"));
            assertEquals(before + 1, s.value("traefik_config_reloads_total"), "a failed read is not a reload");
        });
    }

    @Test
    void routerLabelsHeaderLabelsBucketsAndInternals() throws Exception {
        start(twoServices("{url: \"%s\"}".formatted(a.url())), "--metrics.prometheus.addRoutersLabels=true",
                "--metrics.prometheus.buckets=0.05,0.5", "--metrics.prometheus.headerLabels.useragent=User-Agent",
                "--metrics.addInternals=true", "--metrics.prometheus.addEntryPointsLabels=false");
        proxy.request("/app1").headers(h -> h.put("User-Agent", "lab-client")).send();
        scrape("traefik"); // internal, and counted because of addInternals
        await().atMost(PATIENCE).untilAsserted(() -> {
            Scrape s = scrape("traefik");
            assertEquals(1, s.value("traefik_router_requests_total", "code", "200", "method", "GET", "protocol", "http",
                    "router", "app1@file", "service", "app1@file", "useragent", "lab-client"));
            assertEquals(1, s.value("traefik_service_requests_total", "service", "app1@file", "useragent", "lab-client"));
            assertFalse(s.find("traefik_router_requests_total", "router", "prometheus@internal").isEmpty(),
                    "addInternals counts scrapes too");
            assertFalse(s.has("traefik_entrypoint_requests_total"), "entry point labels switched off");
        });
        List<String> bounds = scrape("traefik").find("traefik_router_request_duration_seconds_bucket", "router", "app1@file")
                .stream().map(x -> x.labels().get("le")).toList();
        assertEquals(List.of("0.05", "0.5", "+Inf"), bounds);
    }

    @Test
    void ownEntryPointOrManualRouting() throws Exception {
        start(twoServices("{url: \"%s\"}".formatted(a.url())), "--entrypoints.metrics.address=127.0.0.1:0",
                "--metrics.prometheus.entryPoint=metrics");
        assertTrue(scrape("metrics").has("traefik_config_reloads_total"));
        assertEquals(404, proxy.get("/metrics").getStatus(), "not on the web entry point");
        ContentResponse open = proxy.client().newRequest(proxy.url("metrics", "/metrics"))
                .headers(h -> h.put("Accept", "application/openmetrics-text; version=1.0.0")).send();
        assertTrue(open.getHeaders().get("Content-Type").startsWith("application/openmetrics-text"),
                "the client library negotiates OpenMetrics");
        assertTrue(open.getContentAsString().trim().endsWith("# EOF"));
        proxy.close();

        proxy = ProxyFixture.start("""
                http:
                  routers:
                    metrics:
                      rule: "Path(`/metrics`)"
                      service: prometheus@internal
                """, "--metrics.prometheus=true", "--metrics.prometheus.manualRouting=true");
        assertFalse(proxy.proxy().staticConfig().entryPoints().containsKey("traefik"));
        ContentResponse r = proxy.get("/metrics");
        assertEquals(200, r.getStatus());
        assertTrue(Scrape.parse(r.getContentAsString()).has("traefik_config_reloads_total"));
    }
}

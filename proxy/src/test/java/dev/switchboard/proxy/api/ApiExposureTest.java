package dev.switchboard.proxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * Where the API is reachable, as in Traefik: {@code --api.insecure} puts it on the traefik entry
 * point; without it, only a router the user writes to {@code api@internal} publishes it (and the
 * dashboard with it).
 */
class ApiExposureTest {

    @Test
    void withoutInsecureOnlyAUserRouterToApiInternalPublishesIt() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start("""
                http:
                  routers:
                    dashboard:
                      rule: "Host(`proxy.localhost`) && (PathPrefix(`/api`) || PathPrefix(`/dashboard`))"
                      service: api@internal
                """, "--api=true")) {
            assertFalse(proxy.proxy().staticConfig().entryPoints().containsKey("traefik"),
                    "no traefik entry point: the API is not on the network by itself");
            assertEquals(404, proxy.get("/api/version").getStatus(), "not without the router's Host");
            ContentResponse version = proxy.get("proxy.localhost", "/api/version");
            assertEquals(200, version.getStatus());
            assertTrue(new ObjectMapper().readTree(version.getContentAsString()).has("Version"));
            ContentResponse page = proxy.get("proxy.localhost", "/dashboard/");
            assertEquals(200, page.getStatus(), "api@internal serves the dashboard too, as in Traefik");
            assertTrue(page.getContentAsString().contains("<title>Switchboard dashboard</title>"));
            ContentResponse routers = proxy.get("proxy.localhost", "/api/http/routers/dashboard@file");
            assertEquals(200, routers.getStatus());
        }
    }

    @Test
    void basePathMovesTheApi() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start("http: {}\n", "--api.insecure=true", "--api.basePath=/proxy",
                "--entrypoints.traefik.address=127.0.0.1:0")) {
            ContentResponse version = proxy.client().newRequest(proxy.url("traefik", "/proxy/api/version"))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertEquals(200, version.getStatus());
            ContentResponse page = proxy.client().newRequest(proxy.url("traefik", "/proxy/dashboard/"))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertEquals(200, page.getStatus());
            ContentResponse outside = proxy.client().newRequest(proxy.url("traefik", "/api/version"))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertEquals(404, outside.getStatus());
        }
    }

    @Test
    void dashboardOffLeavesTheApi() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start("http: {}\n", "--api.insecure=true", "--api.dashboard=false",
                "--entrypoints.traefik.address=127.0.0.1:0")) {
            assertEquals(200, proxy.client().newRequest(proxy.url("traefik", "/api/overview")).send().getStatus());
            assertEquals(404, proxy.client().newRequest(proxy.url("traefik", "/dashboard/")).send().getStatus());
            assertFalse(proxy.proxy().runtime().routers().containsKey("dashboard@internal"));
        }
    }
}

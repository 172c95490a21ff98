package dev.switchboard.proxy.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traefik's API on a real proxy ({@code --api.insecure} on the traefik entry point, 127.0.0.1:0)
 * with a real topology: paths, JSON shapes, filters, pagination, server status, internal services,
 * the dashboard's redirects and files.
 */
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Backend a;
    private Backend b;
    private Backend c;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        a = new Backend("a");
        b = new Backend("b");
        c = new Backend("c");
        proxy = ProxyFixture.start(topology(), "--api.insecure=true", "--entrypoints.traefik.address=127.0.0.1:0");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        a.close();
        b.close();
        c.close();
    }

    private String topology() {
        return """
                http:
                  routers:
                    app1:
                      rule: "Host(`app1.localhost`) || PathPrefix(`/app1`)"
                      middlewares: [app1-strip]
                      service: app1
                    app2:
                      rule: "PathPrefix(`/app2`)"
                      entryPoints: [web]
                      service: app2
                    broken:
                      rule: "Host(`x`"
                      service: app1
                    nosvc:
                      rule: "Path(`/nosvc`)"
                      service: missing
                  middlewares:
                    app1-strip:
                      stripPrefix:
                        prefixes: [/app1]
                  services:
                    app1:
                      loadBalancer:
                        servers: [{url: "%s"}, {url: "%s"}]
                    app2:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(a.url(), b.url(), c.url());
    }

    private ContentResponse api(String path) throws Exception {
        return proxy.client().newRequest(proxy.url("traefik", path)).timeout(10, TimeUnit.SECONDS).send();
    }

    private JsonNode json(String path) throws Exception {
        ContentResponse r = api(path);
        assertEquals(200, r.getStatus(), path + ": " + r.getContentAsString());
        assertEquals("application/json", r.getHeaders().get("Content-Type"), path);
        return JSON.readTree(r.getContentAsString());
    }

    private static JsonNode byName(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (name.equals(n.path("name").asText())) {
                return n;
            }
        }
        return null;
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void routersHaveTraefiksShape() throws Exception {
        ContentResponse r = api("/api/http/routers");
        assertEquals("1", r.getHeaders().get("X-Next-Page"), "one page: the next page is 1");
        JsonNode routers = JSON.readTree(r.getContentAsString());

        JsonNode app1 = byName(routers, "app1@file");
        assertNotNull(app1, routers.toString());
        assertEquals(List.of("web"), strings(app1.get("entryPoints")), "default entry points filled in, as Traefik's aggregator does");
        assertEquals(List.of("app1-strip@file"), strings(app1.get("middlewares")));
        assertEquals("app1@file", app1.get("service").asText());
        assertEquals("Host(`app1.localhost`) || PathPrefix(`/app1`)", app1.get("rule").asText());
        int ruleLength = "Host(`app1.localhost`) || PathPrefix(`/app1`)".length();
        assertEquals(ruleLength, app1.get("priority").asInt(), "computed priority: the rule's length");
        assertEquals(Integer.toString(ruleLength), app1.get("priorityStr").asText());
        assertEquals("enabled", app1.get("status").asText());
        assertEquals(List.of("web"), strings(app1.get("using")));
        assertEquals("file", app1.get("provider").asText());
        assertFalse(app1.has("error"));

        JsonNode broken = byName(routers, "broken@file");
        assertEquals("disabled", broken.get("status").asText());
        assertTrue(broken.get("error").get(0).asText().contains("missing ')'"), broken.toString());
        assertFalse(broken.has("using"), "a disabled router uses no entry point");
        JsonNode nosvc = byName(routers, "nosvc@file");
        assertEquals("disabled", nosvc.get("status").asText());
        assertTrue(nosvc.get("error").get(0).asText().contains("the service \"missing@file\" does not exist"));

        JsonNode apiRouter = byName(routers, "api@internal");
        assertEquals("PathPrefix(`/api`)", apiRouter.get("rule").asText());
        assertEquals(List.of("traefik"), strings(apiRouter.get("using")));
        assertEquals(Integer.MAX_VALUE - 1, apiRouter.get("priority").asInt());
        JsonNode dashboard = byName(routers, "dashboard@internal");
        assertEquals("PathPrefix(`/`)", dashboard.get("rule").asText());
        assertTrue(strings(dashboard.get("middlewares")).contains("dashboard_stripprefix@internal"));
    }

    @Test
    void oneRouterByNameAndErrorsAsTraefikWritesThem() throws Exception {
        JsonNode app2 = json("/api/http/routers/app2@file");
        assertEquals("app2@file", app2.get("name").asText());
        assertEquals(List.of("web"), strings(app2.get("entryPoints")));

        ContentResponse missing = api("/api/http/routers/nope@file");
        assertEquals(404, missing.getStatus());
        assertEquals("{\"message\":\"router not found: nope@file\"}", missing.getContentAsString().trim());
        assertEquals(404, api("/api/http/services/nope@file").getStatus());
        assertEquals(404, api("/api/http/middlewares/nope@file").getStatus());
        assertEquals(404, api("/api/entrypoints/nope").getStatus());
        assertEquals(404, api("/api/nothing").getStatus());

        ContentResponse post = proxy.client().POST(proxy.url("traefik", "/api/version")).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(405, post.getStatus(), "the API is read-only");
    }

    @Test
    void filtersAsTraefik() throws Exception {
        assertEquals(List.of("broken@file", "nosvc@file"), names(json("/api/http/routers?status=disabled")));
        assertEquals(List.of("app2@file"), names(json("/api/http/routers?search=APP2")), "search ignores case");
        assertEquals(List.of("app1@file", "broken@file"), names(json("/api/http/routers?serviceName=app1@file")));
        assertEquals(List.of("app1@file"), names(json("/api/http/routers?middlewareName=app1-strip@file")));
        assertEquals(List.of("app1@file"), names(json("/api/http/services?search=app1")));
        assertEquals(List.of("app1-strip@file", "dashboard_stripprefix@internal"),
                names(json("/api/http/middlewares?search=strip&status=enabled")));
        assertEquals(List.of(), names(json("/api/http/middlewares?status=disabled")));
        List<String> byPriority = names(json("/api/http/routers?sortBy=priority&direction=desc"));
        assertEquals("api@internal", byPriority.get(0));
        assertEquals("broken@file", byPriority.get(byPriority.size() - 1), "the shortest rule has the lowest priority");
    }

    @Test
    void pagesWithXNextPage() throws Exception {
        int total = json("/api/http/routers").size();
        ContentResponse first = api("/api/http/routers?per_page=2");
        assertEquals(2, JSON.readTree(first.getContentAsString()).size());
        assertEquals("2", first.getHeaders().get("X-Next-Page"));
        int lastPage = (total + 1) / 2;
        ContentResponse last = api("/api/http/routers?per_page=2&page=" + lastPage);
        assertEquals("1", last.getHeaders().get("X-Next-Page"), "after the last page comes page 1");
        ContentResponse beyond = api("/api/http/routers?per_page=2&page=" + (lastPage + 1));
        assertEquals(400, beyond.getStatus());
        assertEquals("{\"message\":\"invalid request: page: " + (lastPage + 1) + ", per_page: 2\"}", beyond.getContentAsString().trim());
        assertEquals(400, api("/api/http/routers?per_page=0").getStatus());
        assertEquals(400, api("/api/http/services?page=x").getStatus());
    }

    @Test
    void servicesCarryServerStatusUsedByAndType() throws Exception {
        // The switchboard profile: a refused connection takes the server out at once (passiveRefused).
        proxy.close();
        proxy = ProxyFixture.start(topology(), "--api.insecure=true", "--entrypoints.traefik.address=127.0.0.1:0",
                ProxyFixture.SWITCHBOARD_PROFILE);
        JsonNode app1 = json("/api/http/services/app1@file");
        assertEquals("loadbalancer", app1.get("type").asText());
        assertEquals("enabled", app1.get("status").asText());
        assertEquals(List.of("app1@file", "broken@file"), strings(app1.get("usedBy")));
        assertEquals(a.url(), app1.get("loadBalancer").get("servers").get(0).get("url").asText());
        assertTrue(app1.get("loadBalancer").get("passHostHeader").asBoolean());
        assertEquals("UP", app1.get("serverStatus").get(a.url()).asText());
        assertEquals("UP", app1.get("serverStatus").get(b.url()).asText());

        // b dies; the first refused connection takes it out (passive health check) and the request goes to a.
        String bUrl = b.url();
        b.close();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, proxy.get("/app1/x").getStatus());
        }
        assertEquals("DOWN", json("/api/http/services/app1@file").get("serverStatus").get(bUrl).asText());
        assertEquals("DOWN", json("/api/rawdata").get("services").get("app1@file").get("serverStatus").get(bUrl).asText());

        JsonNode services = json("/api/http/services");
        List<String> names = names(services);
        for (String internal : List.of("api@internal", "dashboard@internal", "noop@internal")) {
            assertTrue(names.contains(internal), "internal services are listed as in Traefik: " + names);
        }
        JsonNode api = json("/api/http/services/api@internal");
        assertEquals("internal", api.get("provider").asText());
        assertEquals("enabled", api.get("status").asText());
        assertEquals(List.of("api@internal"), strings(api.get("usedBy")));
        assertFalse(api.has("type"), "an internal service has no type");
    }

    @Test
    void middlewaresWrappedByKind() throws Exception {
        JsonNode strip = json("/api/http/middlewares/app1-strip@file");
        assertEquals("stripprefix", strip.get("type").asText());
        assertEquals(List.of("/app1"), strings(strip.get("stripPrefix").get("prefixes")));
        assertEquals(List.of("app1@file"), strings(strip.get("usedBy")));
        JsonNode internal = json("/api/http/middlewares/dashboard_stripprefix@internal");
        assertEquals(List.of("/dashboard/", "/dashboard"), strings(internal.get("stripPrefix").get("prefixes")));
    }

    @Test
    void overviewEntryPointsRawdataVersion() throws Exception {
        JsonNode overview = json("/api/overview");
        JsonNode routers = overview.get("http").get("routers");
        assertEquals(json("/api/http/routers").size(), routers.get("total").asInt());
        assertEquals(2, routers.get("errors").asInt());
        assertEquals(0, overview.get("tcp").get("routers").get("total").asInt());
        assertEquals("", overview.get("features").get("metrics").asText());
        assertFalse(overview.get("features").get("accessLog").asBoolean());
        assertEquals(List.of("File"), strings(overview.get("providers")));

        JsonNode eps = json("/api/entrypoints");
        assertEquals(List.of("traefik", "web"), names(eps));
        JsonNode web = json("/api/entrypoints/web");
        assertEquals("127.0.0.1:0", web.get("address").asText());
        assertEquals("3m0s", web.get("transport").get("respondingTimeouts").get("idleTimeout").asText());
        assertEquals("10s", web.get("transport").get("lifeCycle").get("graceTimeOut").asText());

        JsonNode raw = json("/api/rawdata");
        assertEquals("enabled", raw.get("routers").get("app1@file").get("status").asText());
        assertNull(raw.get("routers").get("app1@file").get("name"), "rawdata is keyed by name, without name fields");
        assertEquals(List.of("app1@file"), strings(raw.get("middlewares").get("app1-strip@file").get("usedBy")));
        assertTrue(raw.get("services").has("api@internal"));

        JsonNode version = json("/api/version");
        assertFalse(version.get("Version").asText().isEmpty());
        assertFalse(version.get("startDate").asText().isEmpty());
    }

    @Test
    void versionShowsTheProfileAndTheImprovementsThatAreOn() throws Exception {
        JsonNode traefik = json("/api/version");
        assertEquals("traefik", traefik.get("profile").asText());
        assertEquals(0, traefik.get("improvements").size(), "the default profile behaves as Traefik v3.2");
        try (ProxyFixture sb = ProxyFixture.start(topology(), "--api.insecure=true",
                "--entrypoints.traefik.address=127.0.0.1:0", "--switchboard.profile=switchboard", "--switchboard.autoRetry=false")) {
            JsonNode v = JSON.readTree(sb.client().newRequest(sb.url("traefik", "/api/version"))
                    .timeout(10, TimeUnit.SECONDS).send().getContentAsString());
            assertEquals("switchboard", v.get("profile").asText());
            List<String> on = strings(v.get("improvements"));
            assertFalse(on.contains("autoRetry"), on.toString());
            assertTrue(on.contains("passiveRefused") && on.contains("quickReloads"), on.toString());
        }
    }

    @Test
    void switchboardStatsCountRequestsButNotTheApisOwn() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertEquals(200, proxy.get("/app1/x").getStatus());
        }
        assertEquals(404, proxy.get("/nowhere").getStatus());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stats = json("/api/switchboard/stats");
            assertEquals(4, stats.get("services").get("app1@file").get("requests").asInt());
            assertEquals(5, stats.get("entryPoints").get("web").get("requests").asInt());
            assertEquals(1, stats.get("entryPoints").get("web").get("clientErrors").asInt());
            JsonNode servers = stats.get("services").get("app1@file").get("servers");
            assertEquals(2, servers.get(a.url()).get("requests").asInt());
            assertEquals(2, servers.get(b.url()).get("requests").asInt());
            assertEquals(0, stats.get("entryPoints").get("traefik").get("requests").asInt(),
                    "requests to the API itself are not counted, as in Traefik's metrics");
        });
        JsonNode stats = json("/api/switchboard/stats");
        JsonNode reload = stats.get("reloads").get(0);
        assertTrue(reload.get("success").asBoolean());
        assertTrue(stats.get("sources").get("routers").get("app1@file").asText().contains("dynamic.yml:"));
    }

    @Test
    void dashboardIsServedFromTheJarAndTheRootRedirects() throws Exception {
        ContentResponse root = api("/");
        assertEquals(301, root.getStatus(), "Traefik: / on the traefik entry point goes to the dashboard");
        assertTrue(root.getHeaders().get("Location").endsWith("/dashboard/"));
        ContentResponse noSlash = api("/dashboard");
        assertTrue(noSlash.getStatus() == 301 || noSlash.getStatus() == 302);
        assertTrue(noSlash.getHeaders().get("Location").endsWith("/dashboard/"));

        ContentResponse page = api("/dashboard/");
        assertEquals(200, page.getStatus());
        assertTrue(page.getHeaders().get("Content-Type").startsWith("text/html"));
        assertTrue(page.getContentAsString().contains("How to read this page"));
        assertTrue(page.getHeaders().get("Content-Security-Policy").contains("default-src 'self'"),
                "the page may load nothing from the internet");
        ContentResponse js = api("/dashboard/dashboard.js");
        assertEquals(200, js.getStatus());
        assertTrue(js.getHeaders().get("Content-Type").startsWith("text/javascript"));
        assertFalse(js.getContentAsString().contains("http://") || js.getContentAsString().contains("https://"),
                "no external URL in the script");
        assertEquals(404, api("/dashboard/missing.js").getStatus());
    }
}

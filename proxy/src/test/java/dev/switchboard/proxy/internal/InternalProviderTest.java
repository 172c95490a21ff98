package dev.switchboard.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigLoader;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The internal provider writes Traefik's internal routers, middlewares and services from the static configuration. */
class InternalProviderTest {

    private static StaticConfig config(String... flags) {
        List<String> all = new java.util.ArrayList<>(List.of("--entrypoints.web.address=:80"));
        all.addAll(List.of(flags));
        return StaticConfigLoader.load(all);
    }

    @Test
    void insecureApiGetsTraefiksRoutersOnTheTraefikEntryPoint() {
        HttpConfig http = new InternalProvider(config("--api.insecure=true"), type -> true).configuration();
        Router api = http.routers().get("api");
        assertEquals(List.of("traefik"), api.entryPoints());
        assertEquals("PathPrefix(`/api`)", api.rule());
        assertEquals("api@internal", api.service());
        assertEquals(Integer.MAX_VALUE - 1, api.priority());
        Router dashboard = http.routers().get("dashboard");
        assertEquals("PathPrefix(`/`)", dashboard.rule());
        assertEquals(Integer.MAX_VALUE - 2, dashboard.priority());
        assertEquals(List.of("dashboard_redirect@internal", "dashboard_stripprefix@internal"), dashboard.middlewares());
        Middleware.RedirectRegex redirect = assertInstanceOf(Middleware.RedirectRegex.class, http.middlewares().get("dashboard_redirect"));
        assertTrue("http://localhost:8080/".matches(redirect.regex()));
        assertFalse("http://localhost:8080/x".matches(redirect.regex()));
        assertTrue(redirect.permanent());
        assertEquals(List.of("/dashboard/", "/dashboard"),
                ((Middleware.StripPrefix) http.middlewares().get("dashboard_stripprefix")).prefixes());
    }

    @Test
    void withoutARedirectRegexBuilderTheDashboardRouterStillWorks() {
        HttpConfig http = new InternalProvider(config("--api.insecure=true"), type -> type != Middleware.RedirectRegex.class)
                .configuration();
        assertEquals(List.of("dashboard_stripprefix@internal"), http.routers().get("dashboard").middlewares());
        assertFalse(http.middlewares().containsKey("dashboard_redirect"));
    }

    @Test
    void secureApiHasServicesButNoRouters() {
        InternalProvider provider = new InternalProvider(config("--api=true", "--metrics.prometheus.manualRouting=true",
                "--metrics.prometheus=true"), type -> true);
        assertTrue(provider.configuration().routers().isEmpty());
        assertEquals(List.of("api@internal", "dashboard@internal", "noop@internal", "prometheus@internal"), provider.services());
    }

    @Test
    void metricsAndPingRouters() {
        HttpConfig http = new InternalProvider(config("--ping", "--metrics.prometheus=true"), type -> true).configuration();
        assertEquals("PathPrefix(`/metrics`)", http.routers().get("prometheus").rule());
        assertEquals(Integer.MAX_VALUE, http.routers().get("prometheus").priority());
        assertEquals(List.of("traefik"), http.routers().get("prometheus").entryPoints());
        assertEquals("prometheus@internal", http.routers().get("prometheus").service());
        assertEquals("ping@internal", http.routers().get("ping").service());
        assertFalse(http.routers().containsKey("api"));
    }
}

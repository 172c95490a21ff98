package dev.switchboard.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.StaticConfigLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The static TLS flags: entry-point tls, redirections with Traefik's defaults, HTTP/2 limits, and their errors. */
class TlsStaticConfigTest {

    @Test
    void redirectionDefaultsAreTraefiks() {
        StaticConfig c = StaticConfigLoader.load(List.of("--entrypoints.web.address=:80", "--entrypoints.websecure.address=:443",
                "--entrypoints.web.http.redirections.entrypoint.to=websecure", "--entrypoints.websecure.http.tls=true",
                "--entrypoints.websecure.http2.maxConcurrentStreams=10"));
        StaticConfig.RedirectEntryPoint r = c.entryPoints().get("web").http().redirections().entryPoint();
        assertEquals("websecure", r.to());
        assertEquals("https", r.scheme());
        assertTrue(r.permanent());
        assertEquals(Integer.MAX_VALUE - 1, r.priority());
        assertNotNull(c.entryPoints().get("websecure").http().tls(), "--entrypoints.websecure.http.tls=true switches TLS on");
        assertEquals(10, c.entryPoints().get("websecure").http2().maxConcurrentStreams());
        assertEquals(250, c.entryPoints().get("web").http2().maxConcurrentStreams());
    }

    @Test
    void aRedirectionToNowhereStopsStartUp() {
        ConfigException e = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.web.address=:80", "--entrypoints.web.http.redirections.entrypoint.to=websecur")));
        assertEquals("--entrypoints.web.http.redirections.entrypoint.to=websecur is not an entry point (entry points: web) "
                + "nor a port such as :443", e.getMessage());
        assertNotNull(StaticConfigLoader.load(List.of("--entrypoints.web.address=:80",
                "--entrypoints.web.http.redirections.entrypoint.to=:8443")), "a port is fine");
    }

    @Test
    void acmeIsNotSupported() {
        ConfigException e = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(List.of(
                "--entrypoints.websecure.address=:443", "--entrypoints.websecure.http.tls.certresolver=le")));
        assertTrue(e.getMessage().contains("ACME certificate resolvers are not supported"), e.getMessage());
    }
}

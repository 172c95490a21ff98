package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.RawConnection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, findings 1 and 2, as the issue probed them (a catch-all and a {@code /admin} router
 * behind basicAuth), as exact bytes.
 *
 * <p>Finding 1: Traefik v3.2 does not clean dot segments (its routers match Go's decoded
 * {@code URL.Path} as it came), so by default {@code /public/../admin} goes to the catch-all and
 * reaches its server as it came, as on Traefik v3.2. Traefik's fix, {@code sanitizePath} (v3.3.6,
 * CVE-2025-32431), is the entry point option that makes it meet the admin router.
 *
 * <p>Finding 2: query characters browsers and curl send unencoded are read as Go reads them and
 * forwarded, never a 500 or a stack trace.
 */
class DotSegmentsAndQueriesTest {

    @Test
    void dotSegmentsAreCleanedBeforeRoutingWithSanitizePath() throws Exception {
        try (ProtectedSite site = ProtectedSite.start("--entrypoints.web.http.sanitizePath=true")) {
            for (String target : new String[] {"/public/../admin", "/./admin", "//admin"}) {
                RawConnection.Response r = site.send("GET " + target + " HTTP/1.1\r\nHost: site\r\n\r\n");
                assertEquals(401, r.status(), target + ": " + r);
            }
            RawConnection.Response in = site.send("GET /public/../admin HTTP/1.1\r\nHost: site\r\nAuthorization: "
                    + ProtectedSite.GOOD_CREDENTIALS + "\r\n\r\n");
            assertEquals(200, in.status());
            assertEquals("/admin", site.adminBackend.last().path(), "the server gets the cleaned path");
            assertEquals(0, site.publicBackend.count());
        }
    }

    @Test
    void asTraefik32DotSegmentsGoToTheCatchAllAsTheyCame() throws Exception {
        try (ProtectedSite site = ProtectedSite.start()) {
            RawConnection.Response r = site.send("GET /public/../admin HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("/public/../admin", site.publicBackend.last().path());
            assertEquals(0, site.adminBackend.count());
        }
    }

    @Test
    void queryCharactersBrowsersSendUnencodedAreForwarded() throws Exception {
        try (LogWatch log = new LogWatch(); ProtectedSite site = ProtectedSite.start()) {
            for (String query : new String[] {"a=1|2", "a={x}", "a=^", "a=`", "a=\\", "a=\"q\""}) {
                RawConnection.Response r = site.send("GET /q?" + query + " HTTP/1.1\r\nHost: site\r\n\r\n");
                assertEquals(200, r.status(), query + ": " + r);
                assertEquals("public", r.bodyText());
            }
            assertEquals(6, site.publicBackend.count());
            assertEquals(List.of(), log.stackTraces());
        }
    }
}

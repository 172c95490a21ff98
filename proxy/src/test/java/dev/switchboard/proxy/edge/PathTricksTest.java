package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.RawConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Path tricks against the protected router ({@code PathPrefix(`/admin`)} with basicAuth, in front of
 * a {@code PathPrefix(`/`)} catch-all), without credentials, on two sites: one as Traefik v3.2
 * (rules see Go's decoded {@code URL.Path}, nothing cleaned) and one with {@code sanitizePath}
 * (Traefik v3.3.6's fix of CVE-2025-32431: dot segments and double slashes cleaned before routing).
 * Each row says what each does: 401 from the admin router, the catch-all's server (and the path it
 * receives), or a 400 from the entry point. On both, the admin server is never reached and nothing
 * is a 5xx or a stack trace.
 *
 * <p>The v3.2 column is Traefik v3.2's behaviour, risks included: {@code /public/../admin} reaches
 * the catch-all's server as it came, and a server that resolves dot segments itself then serves
 * {@code /admin} without authentication (issue 17, finding 1). With {@code sanitizePath} it meets
 * the admin router. Encoded dots and slashes are not separators for Go's router or for the cleaning
 * step (nor for Traefik v3.3 and later): they stay in the path the catch-all's server receives.
 */
class PathTricksTest {
    /** The admin router answered (401): the request never reached a server. */
    private static final String AUTH = "401";
    /** The entry point refused the request. */
    private static final String BAD = "400";
    private static ProtectedSite asTraefik32;
    private static ProtectedSite sanitizing;
    private static ProtectedSite switchboardProfile;
    private static ProtectedSite switchboardProfileOptedOut;
    private static LogWatch log;

    @BeforeAll
    static void start() throws Exception {
        log = new LogWatch();
        asTraefik32 = ProtectedSite.start();
        sanitizing = ProtectedSite.start("--entrypoints.web.http.sanitizePath=true");
        // the switchboard profile sanitises by default (its sanitizePath improvement); the entry point's own option wins
        switchboardProfile = ProtectedSite.start(dev.switchboard.proxy.testing.ProxyFixture.SWITCHBOARD_PROFILE);
        switchboardProfileOptedOut = ProtectedSite.start(dev.switchboard.proxy.testing.ProxyFixture.SWITCHBOARD_PROFILE,
                "--entrypoints.web.http.sanitizePath=false");
    }

    @AfterAll
    static void stop() throws Exception {
        asTraefik32.close();
        sanitizing.close();
        switchboardProfile.close();
        switchboardProfileOptedOut.close();
        log.close();
    }

    /** The catch-all's server received the request with this path. */
    private static String pub(String path) {
        return "public " + path;
    }

    static Stream<Arguments> tricks() {
        return Stream.of(
                // request target, as Traefik v3.2, with sanitizePath
                Arguments.of("/admin", AUTH, AUTH),
                Arguments.of("/admin/", AUTH, AUTH),
                Arguments.of("/adminx", AUTH, AUTH), // PathPrefix is a string prefix, in Traefik too
                // dot segments
                Arguments.of("/public/../admin", pub("/public/../admin"), AUTH),
                Arguments.of("/./admin", pub("/./admin"), AUTH),
                Arguments.of("/admin/.", AUTH, AUTH),
                Arguments.of("/admin/../public", AUTH, pub("/public")),
                Arguments.of("/x/y/../../admin/secret", pub("/x/y/../../admin/secret"), AUTH),
                // above the root: Go takes it (and sanitizePath makes it /admin); Jetty's parser refuses it
                Arguments.of("/../admin", BAD, BAD),
                Arguments.of("/public/./../admin/", pub("/public/./../admin/"), AUTH),
                // encoded dots: decoded for routing, not separators for anyone
                Arguments.of("/%2e%2e/admin", BAD, BAD), // above the root once decoded: refused, as /../admin
                Arguments.of("/public/%2e%2e/admin", pub("/public/%2e%2e/admin"), pub("/public/%2e%2e/admin")),
                Arguments.of("/public/%2E%2E/admin", pub("/public/%2E%2E/admin"), pub("/public/%2E%2E/admin")),
                Arguments.of("/%2e/admin", pub("/%2e/admin"), pub("/%2e/admin")),
                // encoded letters and slashes: routed on the decoded path
                Arguments.of("/%61dmin", AUTH, AUTH),
                Arguments.of("/adm%69n/x", AUTH, AUTH),
                Arguments.of("/admin%2Fsecret", AUTH, AUTH),
                Arguments.of("/%2Fadmin", pub("/%2Fadmin"), pub("/%2Fadmin")),
                Arguments.of("/x%2F..%2Fadmin", pub("/x%2F..%2Fadmin"), pub("/x%2F..%2Fadmin")),
                // double slashes
                Arguments.of("//admin", pub("//admin"), AUTH),
                Arguments.of("/admin//x", AUTH, AUTH),
                Arguments.of("///admin///", pub("///admin///"), AUTH),
                // ; parameters: part of the path for Go
                Arguments.of("/admin;jsessionid=1", AUTH, AUTH),
                Arguments.of("/;x=1/admin", pub("/;x=1/admin"), pub("/;x=1/admin")),
                Arguments.of("/adm;in", pub("/adm;in"), pub("/adm;in")),
                // backslashes: not separators for Go; sent escaped, as Go's EscapedPath writes them
                Arguments.of("/\\admin", pub("/%5Cadmin"), pub("/%5Cadmin")),
                Arguments.of("/x\\..\\admin", pub("/x%5C..%5Cadmin"), pub("/x%5C..%5Cadmin")),
                Arguments.of("/%5cadmin", pub("/%5cadmin"), pub("/%5cadmin")),
                // case: the rules are case-sensitive, as Traefik's
                Arguments.of("/ADMIN", pub("/ADMIN"), pub("/ADMIN")),
                Arguments.of("/Admin/x", pub("/Admin/x"), pub("/Admin/x")),
                // overlong UTF-8 for a dot, a NUL
                Arguments.of("/%c0%ae%c0%ae/admin", pub("/%c0%ae%c0%ae/admin"), pub("/%c0%ae%c0%ae/admin")),
                Arguments.of("/admin%00", BAD, BAD));
    }

    private static String outcome(ProtectedSite site, String target) throws Exception {
        site.publicBackend.reset();
        RawConnection.Response r;
        try (RawConnection c = site.connect()) {
            c.write("GET " + target + " HTTP/1.1\r\nHost: site\r\n\r\n");
            r = c.read();
        }
        assertTrue(r.status() < 500, target + ": " + r);
        if (r.status() == 200) {
            assertEquals("public", r.bodyText());
            assertEquals(1, site.publicBackend.count());
            return pub(site.publicBackend.last().path());
        }
        assertEquals(0, site.publicBackend.count(), target + " answered " + r.status() + " yet reached the catch-all's server");
        return String.valueOf(r.status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tricks")
    void protectedPathsStayBehindTheirRouter(String target, String asTraefik, String withSanitizePath) throws Exception {
        log.clear();
        List<String> got = new ArrayList<>();
        got.add(outcome(asTraefik32, target));
        got.add(outcome(sanitizing, target));
        got.add(outcome(switchboardProfile, target));
        got.add(outcome(switchboardProfileOptedOut, target));
        assertEquals(List.of(asTraefik, withSanitizePath, withSanitizePath, asTraefik), got,
                target + " (as Traefik v3.2, with sanitizePath, under the switchboard profile, under it with sanitizePath=false)");
        assertEquals(0, asTraefik32.adminBackend.count() + sanitizing.adminBackend.count() + switchboardProfile.adminBackend.count()
                + switchboardProfileOptedOut.adminBackend.count(), target + " reached the admin server");
        assertEquals(List.of(), log.stackTraces(), target);
    }
}

package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.RawConnection;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, finding 3: a broken basicAuth must never open the router it protects. Each kind of
 * {@code users} entry does what it does in Traefik v3.2 ({@code pkg/middlewares/auth/basic_auth.go},
 * {@code auth.go}: {@code basicUserParser} and go-http-auth's {@code CheckSecret}); and where Traefik
 * cannot build the middleware (an entry that is not {@code name:hash}, an unreadable usersFile) and
 * would let {@code /admin} fall through to the catch-all, Switchboard keeps the router closed.
 */
class BasicAuthFailsClosedTest {

    static Stream<Arguments> entries() {
        return Stream.of(
                // kind of entry, the basicAuth options, the status of /admin with student:lab
                Arguments.of("plain-text password (accepted, refuses every login)", "users: [\"student:lab\"]", 401),
                Arguments.of("SHA-crypt $5$ (read as MD5-crypt: refuses every login)",
                        "users: [\"student:$5$abcdefgh$gruCpC7VkOTspMQTTSAR8mtlO9Upms.fwqE5y16JVM.\"]", 401),
                Arguments.of("no users at all (every request refused)", "users: []", 401),
                Arguments.of("empty password", "users: [\"student:\"]", 401),
                Arguments.of("no colon (middleware cannot be built: router closed)", "users: [\"student\"]", 404),
                Arguments.of("two colons (middleware cannot be built: router closed)", "users: [\"student:lab:x\"]", 404),
                Arguments.of("unreadable usersFile (middleware cannot be built: router closed)",
                        "usersFile: /no/such/htpasswd", 404),
                Arguments.of("working apr1 hash", "users: [\"" + ProtectedSite.STUDENT_LAB + "\"]", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void adminIsNeverServedByTheCatchAll(String kind, String users, int expected) throws Exception {
        try (ProtectedSite site = ProtectedSite.withAdminMiddleware("basicAuth: {" + users + "}")) {
            for (String authorization : new String[] {"", "Authorization: " + ProtectedSite.GOOD_CREDENTIALS + "\r\n"}) {
                RawConnection.Response r = site.send("GET /admin HTTP/1.1\r\nHost: site\r\n" + authorization + "\r\n");
                int want = authorization.isEmpty() && expected == 200 ? 401 : expected;
                assertEquals(want, r.status(), kind + (authorization.isEmpty() ? ", no credentials" : ", student:lab") + ": " + r);
            }
            assertEquals(0, site.publicBackend.count(), kind + ": /admin reached the catch-all's backend");
            assertEquals(expected == 200 ? 1 : 0, site.adminBackend.count(), kind);
            RawConnection.Response other = site.send("GET /other HTTP/1.1\r\nHost: site\r\n\r\n");
            assertEquals(200, other.status(), "the catch-all still serves everything else");
            assertTrue(other.bodyText().contains("public"));
        }
    }
}

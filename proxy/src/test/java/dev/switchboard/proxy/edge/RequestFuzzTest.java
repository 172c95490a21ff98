package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.RawConnection;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A small fuzz of request lines and headers against the protected site, from fixed seeds (so a
 * failure replays: the seed and the request's number are in the message). Requests are built from
 * pieces that have broken parsers before (odd methods and versions, dot segments, encoded and raw
 * separators, control bytes, duplicated and malformed framing headers, bare line ends) and then
 * have a few bytes flipped. Never any valid credentials. For every one:
 *
 * <ul>
 *   <li>never a 5xx: the servers behind the proxy are healthy, so any 5xx is the proxy's own;
 *   <li>never a stack trace in the log, nor any warning (a line per bad request is a log flood);
 *   <li>never a request at a server the rules would not send it to: the admin server is behind
 *       basicAuth and must see nothing, and the public server must see no path that, decoded,
 *       starts with {@code /admin}.
 * </ul>
 */
class RequestFuzzTest {
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
        "get", "G ET", "", "XYZZY", "GET\u0000", "M".repeat(300), "PRI"};
    private static final String[] PIECES = {"admin", "public", "..", ".", "%2e", "%2E%2e", "%2f", "%2F", "%5c", "\\", ";x=1",
        "%00", "%25", "", "ADMIN", "Admin", "%61dmin", "adm%69n", "%C0%AE", "\u00c3\u00a9", "{", "|", "^", "`", "\"", "~",
        "*", "%", "%zz", "%u0041", "admin;", "admin.", "admin%20", " admin", "\t", "#frag", "\u007f", "a".repeat(200)};
    private static final String[] QUERIES = {"", "?q=1", "?a=1|2", "?{}", "?%zz", "?x=%00", "?;", "?a=b&a=c", "??", "?#"};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2",
        "http/1.1", "HTTP/11", "", "HTTP/1.1 ", "HTTP/1.1\u0000", "HTTP/9.9"};
    private static final String[] HEADERS = {"Host: site", "Host: site", "Host: site", "Host:", "Host: site\r\nHost: other",
        "Host: site:99999", "Host: [::1", "Host: s\u0000ite", "Host: \u00ffsite", "Content-Length: 0", "Content-Length: 5",
        "Content-Length: -1", "Content-Length: 5\r\nContent-Length: 6", "Transfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 3", "Transfer-Encoding: gzip", "Connection: Upgrade\r\nUpgrade: websocket",
        "Upgrade: h2c", "Connection: close", "Connection: keep-alive, X-A", "Expect: 100-continue", "Expect: nothing",
        "Authorization: Basic", "Authorization: Basic !!!!", "Authorization: Basic c3R1ZGVudDp3cm9uZw==", "Authorization: Bearer x",
        "X-Forwarded-For: 10.0.0.1", "X-Forwarded-Prefix: /admin", "X-Real-Ip: 1.2.3.4", "Bad Header: x", ": empty name",
        "X-Nul: a\u0000b", "X-Ctl: a\u0001b", "X-Obs: caf\u00e9", "X-Fold: a\r\n b", "X-Long: " + "v".repeat(5000),
        "Cookie: a=b; c", "Range: bytes=0-1,2-3", "Content-Type: text/plain; charset=\"", "TE: trailers", "Trailer: X"};
    private static final String[] BODIES = {"", "", "abcde", "0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "zz\r\n", "GET /admin HTTP/1.1\r\n\r\n"};
    private static final String[] LINE_ENDS = {"\r\n", "\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n"};

    private static ProtectedSite site;
    private static LogWatch log;

    @BeforeAll
    static void start() throws Exception {
        log = new LogWatch();
        site = ProtectedSite.start("--entrypoints.web.transport.respondingTimeouts.readTimeout=2s");
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
        log.close();
    }

    private static String pick(SplittableRandom random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    static byte[] request(SplittableRandom random) {
        StringBuilder path = new StringBuilder(random.nextInt(10) == 0 ? "" : "/");
        int segments = random.nextInt(5);
        for (int i = 0; i < segments; i++) {
            path.append(pick(random, PIECES));
            if (random.nextInt(4) != 0) {
                path.append('/');
            }
        }
        if (random.nextInt(12) == 0) {
            path.insert(0, random.nextBoolean() ? "http://site" : "http://admin@site:80");
        }
        String end = pick(random, LINE_ENDS);
        StringBuilder text = new StringBuilder();
        text.append(pick(random, METHODS)).append(' ').append(path).append(pick(random, QUERIES)).append(' ')
                .append(pick(random, VERSIONS)).append(end);
        int headers = random.nextInt(6);
        for (int i = 0; i < headers; i++) {
            text.append(pick(random, HEADERS)).append(random.nextInt(8) == 0 ? pick(random, LINE_ENDS) : end);
        }
        if (random.nextInt(8) != 0) {
            text.append("Host: site").append(end);
        }
        text.append(end).append(pick(random, BODIES));
        byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        int flips = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < flips && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(15) == 0 && bytes.length > 1) {
            bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length)); // cut short
        }
        return bytes;
    }

    /** What the rules send to the admin router: the decoded path starts with /admin. */
    private static boolean adminPath(String rawPath) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = rawPath;
        }
        return decoded.startsWith("/admin");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {17L, 4711L, 20260101L})
    void garbageNeverBreaksTheEdge(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        log.clear();
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        for (int n = 0; n < 600; n++) {
            site.publicBackend.reset();
            byte[] request = request(random);
            List<RawConnection.Response> responses;
            try (RawConnection c = site.connect()) {
                c.write(request);
                if (random.nextInt(20) != 0) {
                    c.shutdownOutput(); // most clients are done; the others leave the proxy waiting for more
                    responses = c.readAll(Duration.ofMillis(2500));
                } else {
                    responses = c.readAll(Duration.ofMillis(300));
                }
            } catch (java.io.IOException e) {
                responses = List.of(); // reset by the proxy: a refusal, not a failure
            }
            String replay = "seed " + seed + ", request " + n + ": " + printable(request);
            for (RawConnection.Response r : responses) {
                statuses.merge(r.status(), 1, Integer::sum);
                assertTrue(r.status() < 500, replay + " -> " + r);
            }
            assertEquals(0, site.adminBackend.count(), replay + " reached the admin server");
            for (var seen : site.publicBackend.seen()) {
                assertTrue(!adminPath(seen.path()), replay + " reached the public server as " + seen.path());
            }
            assertEquals(List.of(), log.stackTraces(), replay);
            assertEquals(List.of(), log.lines(Level.WARN), replay + ": client input floods the log");
        }
        System.out.println("fuzz seed " + seed + ": statuses " + statuses);
    }

    /** Pipelined garbage: several requests on one connection, each checked as above. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {99L})
    void pipelinedGarbageNeverBreaksTheEdge(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        log.clear();
        for (int n = 0; n < 150; n++) {
            site.publicBackend.reset();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int count = 2 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                all.write(request(random));
            }
            List<RawConnection.Response> responses;
            try (RawConnection c = site.connect()) {
                c.write(all.toByteArray());
                c.shutdownOutput();
                responses = c.readAll(Duration.ofMillis(2500));
            } catch (java.io.IOException e) {
                responses = List.of();
            }
            String replay = "seed " + seed + ", batch " + n + ": " + printable(all.toByteArray());
            for (RawConnection.Response r : responses) {
                assertTrue(r.status() < 500, replay + " -> " + r);
            }
            assertEquals(0, site.adminBackend.count(), replay);
            for (var seen : site.publicBackend.seen()) {
                assertTrue(!adminPath(seen.path()), replay + " reached the public server as " + seen.path());
            }
            assertEquals(List.of(), log.stackTraces(), replay);
            assertEquals(List.of(), log.lines(Level.WARN), replay + ": client input floods the log");
        }
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format(Locale.ROOT, "\\x%02x", c));
        }
        return s.length() > 600 ? s.substring(0, 600) + "..." : s.toString();
    }
}

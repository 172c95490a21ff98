package dev.switchboard.proxy.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.LogWatch;
import dev.switchboard.proxy.testing.RawConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling against the protected site: each request carries, in a body whose length two
 * parsers could read differently, a second request for {@code /admin} without credentials. Whatever
 * the proxy makes of the framing, it must make one thing of it: it answers every request it sees
 * with a 4xx or passes it on re-framed (so the public server receives exactly the requests the
 * client got answers for), the smuggled request either stays body or goes through routing like any
 * other (401), the admin server is never reached, nothing is a 5xx and nothing is a stack trace.
 * Where Go's server accepts an ambiguous framing (both Content-Length and Transfer-Encoding:
 * chunked, in which case it reads chunked), Switchboard's entry points refuse it with 400.
 */
class SmugglingTest {
    private static final String SMUGGLED = "GET /admin HTTP/1.1\r\nHost: site\r\nX-Smuggled: yes\r\n\r\n";
    private static ProtectedSite site;
    private static LogWatch log;

    @BeforeAll
    static void start() throws Exception {
        log = new LogWatch();
        site = ProtectedSite.start();
    }

    @AfterAll
    static void stop() throws Exception {
        site.close();
        log.close();
    }

    /** A POST to the public router whose body is {@code body}, with the framing headers given. */
    private static String post(String framing, String body) {
        return "POST /public HTTP/1.1\r\nHost: site\r\n" + framing + "\r\n" + body;
    }

    private static String chunkedThenSmuggled() {
        return "0\r\n\r\n" + SMUGGLED;
    }

    static Stream<Arguments> attempts() {
        String chunked = chunkedThenSmuggled();
        int all = chunked.length();
        return Stream.of(
                Arguments.of("CL then TE", post("Content-Length: " + all + "\r\nTransfer-Encoding: chunked\r\n", chunked)),
                Arguments.of("TE then CL", post("Transfer-Encoding: chunked\r\nContent-Length: " + all + "\r\n", chunked)),
                Arguments.of("CL 4 then TE", post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", chunked)),
                Arguments.of("TE xchunked", post("Transfer-Encoding: xchunked\r\nContent-Length: " + all + "\r\n", chunked)),
                Arguments.of("TE with a leading space", post("Transfer-Encoding:  chunked\r\nContent-Length: 4\r\n", chunked)),
                Arguments.of("TE with a tab", post("Transfer-Encoding:\tchunked\r\nContent-Length: 4\r\n", chunked)),
                Arguments.of("TE chunked, identity", post("Transfer-Encoding: chunked, identity\r\n", chunked)),
                Arguments.of("TE identity, chunked", post("Transfer-Encoding: identity, chunked\r\nContent-Length: 4\r\n", chunked)),
                Arguments.of("TE chunked, gzip (chunked not last)", post("Transfer-Encoding: chunked, gzip\r\n", chunked)),
                Arguments.of("two TE headers", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", chunked)),
                Arguments.of("TE with a space before the colon", post("Transfer-Encoding : chunked\r\nContent-Length: 4\r\n", chunked)),
                Arguments.of("TE folded (obs-fold)", post("Transfer-Encoding:\r\n chunked\r\nContent-Length: 4\r\n", chunked)),
                Arguments.of("Transfer_Encoding", post("Transfer_Encoding: chunked\r\nContent-Length: 4\r\n", chunked)),
                Arguments.of("two CL, different", post("Content-Length: 4\r\nContent-Length: " + all + "\r\n", chunked)),
                Arguments.of("two CL, same", post("Content-Length: " + all + "\r\nContent-Length: " + all + "\r\n", chunked)),
                Arguments.of("CL list", post("Content-Length: 4, " + all + "\r\n", chunked)),
                Arguments.of("CL negative", post("Content-Length: -1\r\n", chunked)),
                Arguments.of("CL with a plus", post("Content-Length: +4\r\n", chunked)),
                Arguments.of("CL in hex", post("Content-Length: 0x4\r\n", chunked)),
                Arguments.of("CL overflowing", post("Content-Length: 99999999999999999999999\r\n", chunked)),
                Arguments.of("chunk size overflowing", post("Transfer-Encoding: chunked\r\n",
                        "ffffffffffffffffff1\r\nx\r\n0\r\n\r\n" + SMUGGLED)),
                Arguments.of("chunk size with an extension", post("Transfer-Encoding: chunked\r\n",
                        "5;x=\"\r\n0\r\n\r\n\"\r\nhello\r\n0\r\n\r\n" + SMUGGLED)),
                Arguments.of("chunk without its CRLF", post("Transfer-Encoding: chunked\r\n", "5\r\nhello0\r\n\r\n" + SMUGGLED)),
                Arguments.of("bare LF line ends", ("POST /public HTTP/1.1\nHost: site\nContent-Length: " + all
                        + "\nTransfer-Encoding: chunked\n\n" + chunked)),
                Arguments.of("HTTP/1.0 with TE", "POST /public HTTP/1.0\r\nHost: site\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Length: " + all + "\r\n\r\n" + chunked),
                Arguments.of("GET with a Content-Length body", "GET /public HTTP/1.1\r\nHost: site\r\nContent-Length: "
                        + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED),
                Arguments.of("pipelined after a chunked body", post("Transfer-Encoding: chunked\r\n", chunked)),
                Arguments.of("Expect 100-continue with CL and TE", post("Expect: 100-continue\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n", chunked)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void smuggledAdminRequestNeverReachesTheAdminServer(String name, String bytes) throws Exception {
        site.publicBackend.reset();
        site.adminBackend.reset();
        log.clear();
        List<RawConnection.Response> responses;
        try (RawConnection c = site.connect()) {
            c.write(bytes);
            responses = c.readAll(Duration.ofMillis(1500));
        }
        List<Integer> statuses = new ArrayList<>();
        int publicAnswers = 0;
        for (RawConnection.Response r : responses) {
            if (r.status() == 100) {
                continue;
            }
            statuses.add(r.status());
            assertTrue(r.status() < 500, name + ": " + statuses + " " + r);
            if (r.status() == 200) {
                assertEquals("public", r.bodyText(), name + ": only the public server answers 200");
                publicAnswers++;
            }
        }
        assertEquals(0, site.adminBackend.count(), name + ": the smuggled request reached the admin server; answers " + statuses);
        assertEquals(publicAnswers, site.publicBackend.count(),
                name + ": the public server got requests the client got no answer for (a desynchronised framing); answers " + statuses);
        for (var seen : site.publicBackend.seen()) {
            assertTrue(!seen.path().startsWith("/admin"), name + ": " + seen);
        }
        assertEquals(List.of(), log.stackTraces(), name);
        System.out.printf("smuggling: %-40s answers %s, public server got %d%n", name, statuses, site.publicBackend.count());
    }
}

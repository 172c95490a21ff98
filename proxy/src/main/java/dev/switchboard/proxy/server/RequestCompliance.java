package dev.switchboard.proxy.server;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Which request targets and Host headers the entry points accept: what Traefik v3.2 accepts, since
 * it is Go's {@code net/http} server that decides there. Go takes any request target without
 * control characters or spaces, including encoded slashes ({@code /a%2Fb}), encoded or empty
 * segments ({@code /a/%2e%2e/b}, {@code /a//b}), {@code %25}, backslashes, characters such as
 * {@code {}, {@code |} and raw UTF-8, invalid UTF-8 in escapes, and user info in an absolute-form
 * target; it refuses a target with a raw {@code #} (Traefik's {@code denyFragment}), a bad escape
 * ({@code %zz}) and {@code %u0041}. For an absolute-form target whose authority differs from the
 * Host header, Go routes by the target (RFC 9112 section 3.2.2) instead of refusing it. Jetty's
 * Host parsing stays strict: Go refuses the same non-ASCII bytes and spaces.
 *
 * <p>Known differences left: Jetty answers 400 to {@code %00} in a path and to a Host header with
 * a non-numeric port or an empty value, which Go accepts.
 */
public final class RequestCompliance {
    /** Jetty's DEFAULT URI compliance plus every violation Go's server lets through. */
    public static final UriCompliance TRAEFIK_URI = UriCompliance.DEFAULT.with("TRAEFIK_V3_2",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
            UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS,
            UriCompliance.Violation.BAD_UTF8_ENCODING,
            UriCompliance.Violation.TRUNCATED_UTF8_ENCODING,
            UriCompliance.Violation.USER_INFO);

    /** RFC 9110 parsing, plus an absolute-form target that disagrees with the Host header. */
    public static final HttpCompliance TRAEFIK_HTTP = HttpCompliance.RFC9110.with("TRAEFIK_V3_2",
            HttpCompliance.Violation.MISMATCHED_AUTHORITY);

    private RequestCompliance() {
    }

    /** Sets both on an entry point's configuration. */
    public static void applyTo(HttpConfiguration http) {
        http.setUriCompliance(TRAEFIK_URI);
        http.setHttpCompliance(TRAEFIK_HTTP);
    }
}

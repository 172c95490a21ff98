package dev.switchboard.proxy.server;

import dev.switchboard.proxy.rules.RoutingRequest;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;

/** A Jetty request as rules see it; host, path and query are worked out on first use. */
final class JettyRoutingRequest implements RoutingRequest {
    private final Request request;
    private String host;
    private String routingPath;
    private Fields query;

    JettyRoutingRequest(Request request) {
        this.request = request;
    }

    @Override
    public String host() {
        if (host == null) {
            String h = request.getHttpURI().getHost();
            if (h == null) {
                h = "";
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            host = h.toLowerCase(Locale.ROOT);
        }
        return host;
    }

    @Override
    public String routingPath() {
        if (routingPath == null) {
            HttpURI uri = request.getHttpURI();
            String raw = uri.getPath();
            if (org.eclipse.jetty.http.HttpMethod.CONNECT.is(request.getMethod()) && uri.getHost() != null
                    && !uri.getHost().isEmpty()) {
                // CONNECT host:port (Jetty gives it the path /): Go's URL.Path is empty, so PathPrefix(`/`) does not match it
                routingPath = "";
            } else {
                routingPath = raw == null || raw.isEmpty() ? "/" : decodeUnreserved(raw);
            }
        }
        return routingPath;
    }

    /**
     * Decodes percent-escapes except those of reserved characters, as Traefik's
     * {@code withRoutingPath}: {@code /a%2Fb} stays, {@code /caf%C3%A9} becomes {@code /café}.
     */
    static String decodeUnreserved(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int value = c == '%' && i + 2 < raw.length()
                    ? Character.digit(raw.charAt(i + 1), 16) << 4 | Character.digit(raw.charAt(i + 2), 16) : -1;
            if (value >= 0) {
                if (isReserved(value)) {
                    flush(pending, out);
                    out.append(raw, i, i + 3);
                } else {
                    pending.write(value);
                }
                i += 2;
            } else {
                flush(pending, out);
                out.append(c);
            }
        }
        flush(pending, out);
        return out.toString();
    }

    private static void flush(java.io.ByteArrayOutputStream pending, StringBuilder out) {
        if (pending.size() > 0) {
            out.append(pending.toString(java.nio.charset.StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    private static boolean isReserved(int c) {
        return ":/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    @Override
    public List<String> queryValues(String name) {
        if (query == null) {
            query = new Fields(true);
            String q = request.getHttpURI().getQuery();
            if (q != null && !q.isEmpty()) {
                try {
                    UrlEncoded.decodeUtf8To(q, query);
                } catch (IllegalArgumentException e) {
                    // A malformed query matches no Query rule.
                }
            }
        }
        Fields.Field f = query.get(name);
        return f == null ? null : f.getValues();
    }

    @Override
    public String clientIp() {
        return Request.getRemoteAddr(request);
    }
}

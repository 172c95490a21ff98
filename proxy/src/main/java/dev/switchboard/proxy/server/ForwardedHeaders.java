package dev.switchboard.proxy.server;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.ip.IpRanges;
import dev.switchboard.proxy.middleware.RewrittenRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Traefik's X-Forwarded-* handling at the entry point: from a client that is not trusted
 * ({@code forwardedHeaders.insecure} or {@code trustedIPs}) every X-Forwarded-* and X-Real-Ip it
 * sent is dropped; then X-Forwarded-Proto, -Host, -Port, -Server and X-Real-Ip are set where absent.
 * X-Forwarded-For gets the client address appended when the request is forwarded.
 */
final class ForwardedHeaders {
    private static final Set<String> MANAGED = Set.of("x-forwarded-proto", "x-forwarded-scheme", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-port", "x-forwarded-server", "x-forwarded-uri", "x-forwarded-method",
            "x-forwarded-prefix", "x-forwarded-tls-client-cert", "x-forwarded-tls-client-cert-info", "x-scheme",
            "x-real-ip");
    private static final String HOSTNAME = hostname();

    private final boolean insecure;
    private final IpRanges trusted;

    ForwardedHeaders(StaticConfig.ForwardedHeaders config) {
        this.insecure = config.insecure();
        this.trusted = IpRanges.parse(config.trustedIPs());
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    Request apply(Request request) {
        String clientIp = Request.getRemoteAddr(request);
        boolean trust = insecure || trusted.contains(clientIp);
        return RewrittenRequest.withHeaders(request, h -> {
            if (!trust) {
                List<String> drop = new java.util.ArrayList<>();
                for (var f : h) {
                    if (MANAGED.contains(f.getLowerCaseName()) || isUnderscoreVariant(f.getLowerCaseName())) {
                        drop.add(f.getName());
                    }
                }
                drop.forEach(h::remove);
            }
            if (!h.contains("X-Real-Ip")) {
                h.put("X-Real-Ip", clientIp);
            }
            boolean secure = request.isSecure();
            if (!h.contains(HttpHeader.X_FORWARDED_PROTO)) {
                boolean websocket = h.contains(HttpHeader.UPGRADE, "websocket");
                h.put(HttpHeader.X_FORWARDED_PROTO, websocket ? (secure ? "wss" : "ws") : (secure ? "https" : "http"));
            }
            String host = targetAuthority(request);
            if (host != null) {
                h.put(HttpHeader.HOST, host); // RFC 9112 section 3.2.2: the absolute-form target's authority wins, as in Go
            } else {
                host = request.getHeaders().get(HttpHeader.HOST);
            }
            if (!h.contains(HttpHeader.X_FORWARDED_PORT)) {
                h.put(HttpHeader.X_FORWARDED_PORT, port(host, secure));
            }
            if (!h.contains(HttpHeader.X_FORWARDED_HOST) && host != null && !host.isEmpty()) {
                h.put(HttpHeader.X_FORWARDED_HOST, host);
            }
            List<String> xff = h.getValuesList(HttpHeader.X_FORWARDED_FOR);
            if (xff.size() > 1) {
                h.put(HttpHeader.X_FORWARDED_FOR, String.join(", ", xff));
            }
            h.put(HttpHeader.X_FORWARDED_SERVER, HOSTNAME);
        });
    }

    /**
     * The authority of an absolute-form request target ({@code GET http://example.com/ HTTP/1.1})
     * when it differs from the Host header, else null. Go takes the target's host as the request's
     * host, and Traefik forwards it as the Host header.
     */
    private static String targetAuthority(Request request) {
        String header = request.getHeaders().get(HttpHeader.HOST);
        String host = request.getHttpURI().getHost();
        if (header == null || host == null || host.isEmpty()) {
            return null;
        }
        int port = request.getHttpURI().getPort();
        String authority = port > 0 ? host + ":" + port : host;
        String bare = header.startsWith("[") || header.indexOf(':') == header.lastIndexOf(':') ? header : "[" + header + "]";
        return authority.equalsIgnoreCase(header) || authority.equalsIgnoreCase(bare) ? null : authority;
    }

    /** {@code X_Forwarded_For} and the like: some backends read them as the dashed header, so they go too. */
    private static boolean isUnderscoreVariant(String lowerName) {
        return lowerName.startsWith("x_") && MANAGED.contains(lowerName.replace('_', '-'));
    }

    private static String port(String host, boolean secure) {
        if (host != null) {
            int colon = host.lastIndexOf(':');
            int bracket = host.lastIndexOf(']');
            if (colon > bracket && colon < host.length() - 1) {
                return host.substring(colon + 1);
            }
        }
        return secure ? "443" : "80";
    }
}

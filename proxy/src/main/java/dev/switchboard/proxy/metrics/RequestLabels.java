package dev.switchboard.proxy.metrics;

import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * What Traefik's metrics say about a request: its {@code method} and {@code protocol} labels, and
 * whether it went to one of the proxy's own services (which Traefik leaves out of metrics unless
 * {@code metrics.addInternals}).
 */
public final class RequestLabels {
    /** Methods kept as they are; any other becomes {@code EXTENSION_METHOD}, so a client cannot create label values at will. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "PRI");

    private RequestLabels() {
    }

    /** Traefik's {@code method} label: the method if it is a standard one (RFC 9110, RFC 5789), else {@code EXTENSION_METHOD}. */
    public static String method(Request request) {
        String method = request.getMethod();
        return METHODS.contains(method) ? method : "EXTENSION_METHOD";
    }

    /** Traefik's {@code protocol} label: {@code websocket}, {@code sse}, {@code grpc-web}, {@code grpc} or {@code http}. */
    public static String protocol(Request request) {
        var headers = request.getHeaders();
        if (containsToken(headers.get(HttpHeader.CONNECTION), "upgrade") && containsToken(headers.get(HttpHeader.UPGRADE), "websocket")) {
            return "websocket";
        }
        if (containsToken(headers.get(HttpHeader.ACCEPT), "text/event-stream")) {
            return "sse";
        }
        String contentType = headers.get(HttpHeader.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith("application/grpc-web")) {
            return "grpc-web";
        }
        if (contentType != null && contentType.startsWith("application/grpc")) {
            return "grpc";
        }
        return "http";
    }

    private static boolean containsToken(String header, String token) {
        if (header == null) {
            return false;
        }
        for (String item : header.split(",")) {
            if (item.trim().toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }

    /** The service the request's router sends to ({@code app1@file}, {@code api@internal}), or null without a router. */
    public static String routerService(RequestContext ctx, RuntimeConfiguration runtime) {
        if (ctx.routerName() == null) {
            return null;
        }
        RouterInfo router = runtime.routers().get(ctx.routerName());
        return router == null ? null : router.config().service();
    }

    /**
     * Whether the request was for the proxy's own services: its router sends to an {@code @internal}
     * service (Traefik's test, so a user router to {@code api@internal} counts as internal too).
     */
    public static boolean internal(String routerService) {
        return routerService != null && routerService.endsWith("@internal");
    }
}

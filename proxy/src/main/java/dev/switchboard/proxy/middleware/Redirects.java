package dev.switchboard.proxy.middleware;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What {@code redirectScheme} and {@code redirectRegex} share: the URL as the client asked for it,
 * and Traefik's status rules. A GET is answered 302 (permanent: 301); any other method 307
 * (permanent: 308), so that browsers repeat a POST with its body instead of turning it into a GET
 * (RFC 9110 15.4).
 */
final class Redirects {
    private Redirects() {
    }

    static int status(String method, boolean permanent) {
        boolean get = HttpMethod.GET.is(method);
        if (permanent) {
            return get ? HttpStatus.MOVED_PERMANENTLY_301 : HttpStatus.PERMANENT_REDIRECT_308;
        }
        return get ? HttpStatus.FOUND_302 : HttpStatus.TEMPORARY_REDIRECT_307;
    }

    /** The Host the client sent (HTTP/1.1 Host header or the HTTP/2 authority). */
    static String host(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isEmpty()) {
            host = request.getHttpURI().getAuthority();
        }
        return host == null ? "" : host;
    }

    /** Path and query as the client sent them (Go's {@code RequestURI}). */
    static String requestUri(Request request) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }

    /** Writes the redirect: {@code Location}, the status and its reason as the body, as Traefik. */
    static void send(Response response, Callback callback, int status, String location) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        String reason = HttpStatus.getMessage(status);
        byte[] body = (reason == null ? String.valueOf(status) : reason).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}

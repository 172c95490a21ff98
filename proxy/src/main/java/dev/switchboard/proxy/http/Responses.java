package dev.switchboard.proxy.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Responses the proxy writes itself. Like Traefik (Go's {@code http.Error}), bodies are short plain
 * text: {@code 404 page not found}, {@code Bad Gateway}, {@code no available server}.
 */
public final class Responses {
    private Responses() {
    }

    /**
     * Writes {@code status} with a plain-text body (as given: Go's {@code http.Error} adds a final
     * newline, Traefik's proxy error handler does not), replacing whatever was set but not yet sent.
     */
    public static void text(Response response, Callback callback, int status, String body) {
        text(response, callback, status, body, false);
    }

    private static void text(Response response, Callback callback, int status, String body, boolean close) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException("response already committed, cannot send " + status));
            return;
        }
        response.reset();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().putDate(HttpHeader.DATE, System.currentTimeMillis());
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Go's {@code http.StatusText}, which Traefik's proxy error handler writes for 502 and 504. */
    public static void status(Response response, Callback callback, int status) {
        String reason = HttpStatus.getMessage(status);
        text(response, callback, status, reason == null ? String.valueOf(status) : reason);
    }

    /**
     * The answer to a client whose own request failed ({@link ClientRequestException}): its status
     * with Traefik's text, and the connection closed, since the rest of the request cannot be read.
     */
    public static void clientError(Response response, Callback callback, int status, String body) {
        text(response, callback, status, body, true);
    }

    /** Go's {@code http.NotFound}: 404 with {@code 404 page not found}. */
    public static void notFound(Response response, Callback callback) {
        text(response, callback, HttpStatus.NOT_FOUND_404, "404 page not found\n");
    }
}

package dev.switchboard.proxy.server;

import dev.switchboard.proxy.http.ClientRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The error responses the entry points write themselves, as Go's server and Traefik write them:
 * short plain text and nothing else. Jetty's default error page is HTML and carries the exception
 * message, which can name a backend's internal URL; here no message, cause or stack ever reaches
 * the client.
 *
 * <ul>
 *   <li>A request that cannot be parsed (Go's {@code conn.serve}): {@code 400 Bad Request} as the
 *       body, {@code Connection: close}; headers over the limit: {@code 431 Request Header Fields Too
 *       Large} (Go has no 414: a request line over the limit is a 431 there too). Where Go answers
 *       a client's request with a 5xx (505 for an HTTP version other than 1.x, 501 for an unknown
 *       transfer coding), Switchboard answers 400: client input never gets a 5xx of the proxy's own.
 *   <li>A client's own failure ({@link ClientRequestException}): its status and text, such as
 *       {@code Client Closed Request} (Traefik's proxy error handler).
 *   <li>Anything else (a failure in the proxy): {@code Internal Server Error} as Traefik's recovery
 *       middleware writes it (Go's {@code http.Error}).
 * </ul>
 */
final class PlainErrors extends ErrorHandler {
    private static final HttpField TEXT = new HttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");

    PlainErrors() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        int code = status == HttpStatus.URI_TOO_LONG_414 ? HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431
                : status >= 500 ? HttpStatus.BAD_REQUEST_400 : status;
        fields.put(TEXT);
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap((code + " " + statusText(code)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateCacheControl(Response response) {
        // Go sets no Cache-Control on its errors.
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        ClientRequestException client = ClientRequestException.in(cause);
        String body;
        if (client != null) {
            response.setStatus(client.getCode());
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            body = client.statusText();
        } else if (code >= 400 && code < 500 || isClientsBadMessage(code, cause)) {
            if (code == HttpStatus.URI_TOO_LONG_414) {
                code = HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431;
            } else if (code >= 500) {
                code = HttpStatus.BAD_REQUEST_400;
            }
            response.setStatus(code);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            body = code + " " + statusText(code);
        } else {
            body = statusText(code) + "\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(TEXT);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** A request Jetty's parser refused with a 5xx (505, 501): the client's doing all the same. */
    private static boolean isClientsBadMessage(int code, Throwable cause) {
        return (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 || code == HttpStatus.NOT_IMPLEMENTED_501)
                && cause instanceof org.eclipse.jetty.http.HttpException;
    }

    private static String statusText(int code) {
        String text = HttpStatus.getMessage(code);
        return text == null ? String.valueOf(code) : text;
    }
}

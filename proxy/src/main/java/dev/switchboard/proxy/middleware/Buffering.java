package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.BufferedRequest;
import dev.switchboard.proxy.http.Responses;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code buffering}: the request body is read in full before the backend is contacted,
 * and the response in full before the client gets it, so slow clients do not hold backend
 * connections. A request body over {@code maxRequestBodyBytes} gets 413
 * {@code Request Entity Too Large}; a response over {@code maxResponseBodyBytes} becomes 500
 * {@code Internal Server Error}. 0 means no limit.
 *
 * <p>Unlike Traefik, bodies stay in memory ({@code memRequestBodyBytes} and
 * {@code memResponseBodyBytes} are accepted and have no effect: nothing spills to disk), and
 * {@code retryExpression} is refused: use the {@code retry} middleware.
 */
public final class Buffering implements Request.Handler {
    private final long maxRequest;
    private final long maxResponse;
    private final Request.Handler next;

    public Buffering(Middleware.Buffering config, Request.Handler next) {
        if (config.retryExpression() != null && !config.retryExpression().isBlank()) {
            throw new ConfigException("retryExpression is not supported by Switchboard: use a retry middleware after buffering");
        }
        if (config.maxRequestBodyBytes() < 0 || config.maxResponseBodyBytes() < 0) {
            throw new ConfigException("maxRequestBodyBytes and maxResponseBodyBytes must be 0 (no limit) or more");
        }
        this.maxRequest = config.maxRequestBodyBytes();
        this.maxResponse = config.maxResponseBodyBytes();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (maxRequest > 0 && request.getLength() > maxRequest) {
            Responses.text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "Request Entity Too Large");
            return true;
        }
        BufferedRequest.read(request, maxRequest > 0 ? maxRequest : -1, body -> {
            if (!body.replayable()) {
                Responses.text(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "Request Entity Too Large");
                return;
            }
            BufferingResponse buffered = new BufferingResponse(request, response, maxResponse, HttpMethod.HEAD.is(request.getMethod()));
            try {
                if (!next.handle(body, buffered, callback)) {
                    Responses.notFound(response, callback);
                }
            } catch (Throwable x) {
                callback.failed(x);
            }
        }, callback::failed);
        return true;
    }

    /** Keeps what is written until the last write, then sends it at once with its length. */
    private static final class BufferingResponse extends Response.Wrapper {
        private final long max;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final boolean head;
        private boolean overflow;

        BufferingResponse(Request request, Response wrapped, long max, boolean head) {
            super(request, wrapped);
            this.max = max;
            this.head = head;
        }

        @Override
        public void reset() {
            super.reset();
            body.reset();
            overflow = false;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (!overflow && content != null) {
                int n = content.remaining();
                if (max > 0 && body.size() + (long) n > max) {
                    overflow = true;
                    body.reset();
                } else {
                    body.write(BufferUtil.toArray(content), 0, n);
                }
            }
            if (!last) {
                callback.succeeded();
                return;
            }
            if (overflow) {
                Responses.text(getWrapped(), callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "Internal Server Error");
                return;
            }
            byte[] all = body.toByteArray();
            if (!head) {
                getWrapped().getHeaders().remove(HttpHeader.TRANSFER_ENCODING);
                getWrapped().getHeaders().put(HttpHeader.CONTENT_LENGTH, all.length);
            }
            getWrapped().write(true, ByteBuffer.wrap(all), callback);
        }
    }
}

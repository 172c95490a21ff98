package dev.switchboard.proxy.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose body was read into memory (up to a bound) so it can be sent more than once: by
 * the {@code retry} middleware to another server, by a {@code mirroring} service to its mirrors, and
 * by the {@code buffering} middleware, which reads the whole body before the backend is contacted.
 * Traefik's {@code ReusableRequest} does the same with {@code maxRequestBodyBytes} and
 * {@code maxBodySize}.
 *
 * <p>When the body is larger than the bound the request is <em>partial</em>: what was read is
 * served first, then the rest streams from the client as usual, and the request cannot be
 * replayed ({@link #replayable()} is false).
 */
public final class BufferedRequest extends Request.Wrapper {
    private final byte[] bytes;
    private final boolean complete;
    private volatile boolean served;

    private final HttpFields headers;

    private BufferedRequest(Request wrapped, byte[] bytes, boolean complete) {
        super(wrapped);
        this.bytes = bytes;
        this.complete = complete;
        this.headers = complete ? withLength(wrapped.getHeaders(), bytes.length) : wrapped.getHeaders();
    }

    /** A whole body in memory is sent with its length: {@code Content-Length} set, chunked encoding gone. */
    private static HttpFields withLength(HttpFields original, int length) {
        if (length == 0 && !original.contains(HttpHeader.CONTENT_LENGTH) && !original.contains(HttpHeader.TRANSFER_ENCODING)) {
            return original;
        }
        HttpFields.Mutable h = HttpFields.build(original);
        h.remove(HttpHeader.TRANSFER_ENCODING);
        h.put(HttpHeader.CONTENT_LENGTH, length);
        return h.asImmutable();
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    /** Whether {@code request} announces a body (a positive Content-Length, or chunked encoding). */
    public static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /**
     * Reads the body of {@code request} without blocking, at most {@code maxBytes} of it (negative:
     * no bound), and hands the result to {@code then}; a body that fails to arrive (the client went
     * away) goes to {@code failed}.
     */
    public static void read(Request request, long maxBytes, Consumer<BufferedRequest> then, Consumer<Throwable> failed) {
        new Reader(request, maxBytes, then, failed).run();
    }

    /** Whether the whole body is in memory, so every reader gets all of it. */
    public boolean replayable() {
        return complete;
    }

    /** The whole body, or null if it is partial. */
    public byte[] body() {
        return complete ? bytes : null;
    }

    /** Starts the body again from its first byte for the next reader; false if it is partial. */
    @Override
    public boolean rewind() {
        if (!complete) {
            return false;
        }
        served = false;
        return true;
    }

    @Override
    public long getLength() {
        return complete ? bytes.length : super.getLength();
    }

    @Override
    public Content.Chunk read() {
        if (!served) {
            served = true;
            if (bytes.length > 0 || complete) {
                return Content.Chunk.from(ByteBuffer.wrap(bytes), complete);
            }
        }
        return complete ? Content.Chunk.EOF : super.read();
    }

    @Override
    public void demand(Runnable demandCallback) {
        if (complete || !served) {
            demandCallback.run();
        } else {
            super.demand(demandCallback);
        }
    }

    /** A failed attempt must not fail the client's request when the body can be sent again. */
    @Override
    public void fail(Throwable failure) {
        if (!complete) {
            super.fail(failure);
        }
    }

    @Override
    public boolean consumeAvailable() {
        served = true;
        return complete || super.consumeAvailable();
    }

    /** The asynchronous read loop: copy chunks until the last one or the bound. */
    private static final class Reader implements Runnable {
        private final Request request;
        private final long maxBytes;
        private final Consumer<BufferedRequest> then;
        private final Consumer<Throwable> failed;
        private final ByteArrayOutputStream out;

        Reader(Request request, long maxBytes, Consumer<BufferedRequest> then, Consumer<Throwable> failed) {
            this.request = request;
            this.maxBytes = maxBytes;
            this.then = then;
            this.failed = failed;
            long length = request.getLength();
            int initial = length > 0 && length < 1 << 20 ? (int) length : 4096;
            this.out = new ByteArrayOutputStream(initial);
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed.accept(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                if (chunk.hasRemaining()) {
                    ByteBuffer buffer = chunk.getByteBuffer();
                    byte[] copy = new byte[buffer.remaining()];
                    buffer.get(copy);
                    out.writeBytes(copy);
                }
                chunk.release();
                boolean over = maxBytes >= 0 && out.size() > maxBytes;
                if (over) {
                    // Too large to keep: serve what was read, then stream the rest.
                    then.accept(new BufferedRequest(request, out.toByteArray(), false));
                    return;
                }
                if (last) {
                    then.accept(new BufferedRequest(request, out.toByteArray(), true));
                    return;
                }
            }
        }
    }
}

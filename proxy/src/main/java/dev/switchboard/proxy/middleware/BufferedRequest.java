package dev.switchboard.proxy.middleware;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose body was read in full by a middleware and is now served from memory, so the
 * handlers behind it (and a retry) can read it again. {@code Content-Length} states its size.
 */
final class BufferedRequest extends Request.Wrapper {
    private final byte[] body;
    private final HttpFields headers;
    private boolean consumed;

    BufferedRequest(Request wrapped, byte[] body) {
        super(wrapped);
        this.body = body;
        HttpFields.Mutable h = HttpFields.build(wrapped.getHeaders());
        h.remove(HttpHeader.TRANSFER_ENCODING);
        if (body.length > 0 || wrapped.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
            h.put(HttpHeader.CONTENT_LENGTH, body.length);
        }
        this.headers = h.asImmutable();
    }

    /** Thrown by {@link #readBody} when the body is larger than allowed. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("body too large");
        }
    }

    /** Reads the whole body, at most {@code max} bytes (0 or less: no limit). Blocking. */
    static byte[] readBody(Request request, long max) throws IOException {
        long declared = request.getLength();
        if (max > 0 && declared > max) {
            throw new TooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (max > 0 && total > max) {
                    throw new TooLarge();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }

    @Override
    public long getLength() {
        return body.length;
    }

    @Override
    public Content.Chunk read() {
        if (consumed) {
            return Content.Chunk.EOF;
        }
        consumed = true;
        return Content.Chunk.from(ByteBuffer.wrap(body), true);
    }

    @Override
    public void demand(Runnable demandCallback) {
        demandCallback.run();
    }
}

package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code compress}, with gzip: a response is gzip-compressed when the client accepts gzip
 * ({@code Accept-Encoding}, RFC 9110 12.5.3), it is not compressed already, its type is not
 * excluded ({@code excludedContentTypes}, or not in {@code includedContentTypes} when that is
 * given), and its body reaches {@code minResponseBodyBytes} (1024). The client then sees
 * {@code Content-Encoding: gzip}, {@code Vary: Accept-Encoding} and no {@code Content-Length}
 * (the body streams).
 *
 * <p>Traefik also offers Brotli and zstd; Switchboard compresses with gzip only (the JDK's
 * {@link GZIPOutputStream}, flushed at each chunk so streaming responses keep streaming), and
 * {@code encodings} must include {@code gzip}. The JDK was chosen over Jetty's compression module
 * because Traefik's rules (minimum size counted on the body, type lists, Accept-Encoding
 * preferences) are simpler to state exactly around a stream than to map onto that module's own
 * configuration.
 */
public final class Compress implements Request.Handler {
    private static final List<String> DEFAULT_EXCLUDED = List.of("text/event-stream", "application/grpc");

    private final List<String> excluded;
    private final List<String> included;
    private final int minBytes;
    private final boolean defaultGzip;
    private final Request.Handler next;

    public Compress(Middleware.Compress config, Request.Handler next) {
        if (!config.excludedContentTypes().isEmpty() && !config.includedContentTypes().isEmpty()) {
            throw new ConfigException("excludedContentTypes and includedContentTypes are mutually exclusive: keep one");
        }
        if (!config.encodings().isEmpty() && config.encodings().stream().noneMatch(e -> e.trim().equalsIgnoreCase("gzip"))) {
            throw new ConfigException("encodings " + config.encodings() + ": Switchboard compresses with gzip only: add gzip");
        }
        if (config.minResponseBodyBytes() < 0) {
            throw new ConfigException("minResponseBodyBytes must be 0 or more");
        }
        this.excluded = config.excludedContentTypes().isEmpty() ? DEFAULT_EXCLUDED : lower(config.excludedContentTypes());
        this.included = lower(config.includedContentTypes());
        this.minBytes = config.minResponseBodyBytes();
        this.defaultGzip = "gzip".equalsIgnoreCase(config.defaultEncoding());
        this.next = next;
    }

    private static List<String> lower(List<String> types) {
        return types.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.HEAD.is(request.getMethod()) || !acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING))) {
            return next.handle(request, response, callback);
        }
        return next.handle(request, new GzipResponse(request, response), callback);
    }

    /** Whether {@code gzip} (or {@code *}) is acceptable with a quality above 0. */
    boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return defaultGzip;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (coding.equals("gzip")) {
                return q > 0;
            }
            if (coding.equals("*")) {
                star = q > 0;
            }
        }
        return star;
    }

    private boolean typeAllowed(String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!included.isEmpty()) {
            return included.stream().anyMatch(t -> t.split(";")[0].trim().equals(type));
        }
        return excluded.stream().noneMatch(t -> t.split(";")[0].trim().equals(type));
    }

    private final class GzipResponse extends Response.Wrapper {
        private enum Mode { UNDECIDED, IDENTITY, GZIP }

        private Mode mode = Mode.UNDECIDED;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
        private GZIPOutputStream gzip;

        GzipResponse(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void reset() {
            super.reset();
            mode = Mode.UNDECIDED;
            pending.reset();
            sink.reset();
            gzip = null;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            try {
                if (mode == Mode.UNDECIDED && !eligible()) {
                    mode = Mode.IDENTITY;
                }
                switch (mode) {
                    case IDENTITY -> super.write(last, content, callback);
                    case GZIP -> writeGzip(last, content, callback);
                    case UNDECIDED -> {
                        if (content != null) {
                            pending.write(BufferUtil.toArray(content));
                        }
                        if (pending.size() >= minBytes && pending.size() > 0) {
                            startGzip();
                            byte[] first = pending.toByteArray();
                            pending.reset();
                            writeGzip(last, ByteBuffer.wrap(first), callback);
                        } else if (last) {
                            mode = Mode.IDENTITY;
                            byte[] all = pending.toByteArray();
                            pending.reset();
                            super.write(true, ByteBuffer.wrap(all), callback);
                        } else {
                            callback.succeeded();
                        }
                    }
                }
            } catch (IOException e) {
                callback.failed(e);
            }
        }

        private boolean eligible() {
            HttpFields h = getHeaders();
            int status = getStatus();
            if (status < 200 || status == 204 || status == 304 || getWrapped().isCommitted()) {
                return false;
            }
            String encoding = h.get(HttpHeader.CONTENT_ENCODING);
            if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
                return false;
            }
            if (h.contains(HttpHeader.CONTENT_RANGE)) {
                return false;
            }
            long length = h.getLongField(HttpHeader.CONTENT_LENGTH);
            if (length >= 0 && length < minBytes) {
                return false;
            }
            return typeAllowed(h.get(HttpHeader.CONTENT_TYPE));
        }

        private void startGzip() throws IOException {
            mode = Mode.GZIP;
            HttpFields.Mutable h = getHeaders();
            h.remove(HttpHeader.CONTENT_LENGTH);
            h.put(HttpHeader.CONTENT_ENCODING, "gzip");
            String vary = h.get(HttpHeader.VARY);
            if (vary == null || vary.isBlank()) {
                h.put(HttpHeader.VARY, "Accept-Encoding");
            } else if (!vary.toLowerCase(Locale.ROOT).contains("accept-encoding")) {
                h.put(HttpHeader.VARY, vary + ", Accept-Encoding");
            }
            gzip = new GZIPOutputStream(sink, 8192, true);
        }

        private void writeGzip(boolean last, ByteBuffer content, Callback callback) throws IOException {
            if (content != null && content.hasRemaining()) {
                gzip.write(BufferUtil.toArray(content));
            }
            if (last) {
                gzip.finish();
            } else {
                gzip.flush();
            }
            byte[] out = sink.toByteArray();
            sink.reset();
            super.write(last, ByteBuffer.wrap(out), callback);
        }
    }

}

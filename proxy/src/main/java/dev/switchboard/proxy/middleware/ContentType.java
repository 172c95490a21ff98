package dev.switchboard.proxy.middleware;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code contentType}: Traefik never guesses a missing {@code Content-Type} unless this
 * middleware is on the router; then, as Go's {@code http.DetectContentType} (the WHATWG MIME
 * sniffing standard), the first bytes of the body decide: HTML, XML, PDF, images, gzip, zip, plain
 * UTF-8 text, or {@code application/octet-stream}. A response that has a Content-Type keeps it.
 * ({@code autoDetect: false} is accepted, as in Traefik, and turns the middleware off.)
 */
public final class ContentType implements Request.Handler {
    private final Request.Handler next;

    public ContentType(Request.Handler next) {
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Response sniffing = new Response.Wrapper(request, response) {
            private boolean first = true;

            @Override
            public void write(boolean last, ByteBuffer content, Callback cb) {
                if (first) {
                    first = false;
                    if (!getWrapped().isCommitted() && !getHeaders().contains(HttpHeader.CONTENT_TYPE)
                            && content != null && content.hasRemaining()) {
                        getHeaders().put(HttpHeader.CONTENT_TYPE, detect(content));
                    }
                }
                super.write(last, content, cb);
            }
        };
        return next.handle(request, sniffing, callback);
    }

    private static final String[] HTML_TAGS = {"<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV",
        "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"};

    /** The WHATWG sniffing algorithm for the signatures Go recognises most often. */
    static String detect(ByteBuffer content) {
        byte[] data = new byte[Math.min(512, content.remaining())];
        content.duplicate().get(data);
        int i = 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r' || data[i] == '\f')) {
            i++;
        }
        String head = new String(data, i, data.length - i, StandardCharsets.ISO_8859_1);
        String upper = head.toUpperCase(java.util.Locale.ROOT);
        for (String tag : HTML_TAGS) {
            if (upper.startsWith(tag) && upper.length() > tag.length()
                    && (upper.charAt(tag.length()) == ' ' || upper.charAt(tag.length()) == '>')) {
                return "text/html; charset=utf-8";
            }
        }
        if (head.startsWith("<?xml")) {
            return "text/xml; charset=utf-8";
        }
        String raw = new String(data, StandardCharsets.ISO_8859_1);
        if (raw.startsWith("%PDF-")) {
            return "application/pdf";
        }
        if (raw.startsWith("\u0089PNG\r\n\u001a\n")) {
            return "image/png";
        }
        if (raw.startsWith("GIF87a") || raw.startsWith("GIF89a")) {
            return "image/gif";
        }
        if (raw.startsWith("\u00ff\u00d8\u00ff")) {
            return "image/jpeg";
        }
        if (raw.startsWith("\u001f\u008b\u0008")) {
            return "application/x-gzip";
        }
        if (raw.startsWith("PK\u0003\u0004")) {
            return "application/zip";
        }
        for (byte b : data) {
            int c = b & 0xFF;
            if (c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) || (c >= 0x1C && c <= 0x1F)) {
                return "application/octet-stream";
            }
        }
        return "text/plain; charset=utf-8";
    }
}

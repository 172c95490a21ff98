package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code errors}: when the response has a status in {@code status} (such as
 * {@code "500-599"} or {@code "404"}), its body is replaced by a page fetched with GET from
 * {@code service} at {@code query} ({@code {status}}, {@code {originalStatus}} and {@code {url}} are
 * filled in). The client keeps the original status, or the one {@code statusRewrites} maps it to
 * ({@code "500-503": 500}); the headers are the error page's.
 */
public final class Errors implements Request.Handler {
    private record Range(int from, int to) {
        boolean contains(int status) {
            return status >= from && status <= to;
        }
    }

    private final List<Range> ranges = new ArrayList<>();
    private final Map<Range, Integer> rewrites = new LinkedHashMap<>();
    private final String query;
    private final Request.Handler service;
    private final Request.Handler next;

    public Errors(Middleware.Errors config, Request.Handler next, MiddlewareContext context) {
        if (config.status().isEmpty()) {
            throw new ConfigException("status is missing: write status: [\"500-599\"]");
        }
        for (String s : config.status()) {
            for (String part : s.split(",")) {
                ranges.add(range("status", part));
            }
        }
        config.statusRewrites().forEach((k, v) -> rewrites.put(range("statusRewrites", k), v));
        if (config.service() == null || config.service().isBlank()) {
            throw new ConfigException("service is missing: name the service that serves the error pages");
        }
        this.service = context.service(config.service());
        this.query = config.query() == null || config.query().isEmpty() ? "/"
                : "/" + (config.query().startsWith("/") ? config.query().substring(1) : config.query());
        this.next = next;
    }

    private static Range range(String option, String text) {
        String t = text.trim();
        try {
            int dash = t.indexOf('-');
            Range r = dash < 0 ? new Range(Integer.parseInt(t), Integer.parseInt(t))
                    : new Range(Integer.parseInt(t.substring(0, dash).trim()), Integer.parseInt(t.substring(dash + 1).trim()));
            if (r.from() < 100 || r.to() > 599 || r.from() > r.to()) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new ConfigException(option + " \"" + text + "\" is not a status code or range such as 404 or 500-599");
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Capture capture = new Capture(request, response);
        Callback afterBackend = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                if (capture.swallowed) {
                    servePage(request, response, callback, capture.originalStatus);
                } else {
                    super.succeeded();
                }
            }
        };
        if (!next.handle(request, capture, afterBackend)) {
            Responses.notFound(capture, afterBackend);
        }
        return true;
    }

    private boolean matches(int status) {
        return ranges.stream().anyMatch(r -> r.contains(status));
    }

    private void servePage(Request request, Response response, Callback callback, int originalStatus) {
        int status = originalStatus;
        for (Map.Entry<Range, Integer> e : rewrites.entrySet()) {
            if (e.getKey().contains(originalStatus)) {
                status = e.getValue();
                break;
            }
        }
        String url = (request.isSecure() ? "https" : "http") + "://" + Redirects.host(request) + Redirects.requestUri(request);
        String path = query.replace("{status}", Integer.toString(status))
                .replace("{originalStatus}", Integer.toString(originalStatus))
                .replace("{url}", URLEncoder.encode(url, StandardCharsets.UTF_8));
        HttpURI.Mutable uri = HttpURI.build(request.getHttpURI());
        int q = path.indexOf('?');
        uri.path(q < 0 ? path : path.substring(0, q)).query(q < 0 ? null : path.substring(q + 1));
        Request pageRequest = new PageRequest(request, uri.asImmutable());
        response.reset();
        int finalStatus = status;
        InterceptedResponse forced = new InterceptedResponse(pageRequest, response, () -> response.setStatus(finalStatus));
        try {
            if (!service.handle(pageRequest, forced, forced.complete(callback))) {
                Responses.status(response, callback, finalStatus);
            }
        } catch (Throwable t) {
            callback.failed(t);
        }
    }

    /** Watches the status at the first write; swallows a matching response's body. */
    private final class Capture extends Response.Wrapper {
        boolean decided;
        boolean swallowed;
        int originalStatus;

        Capture(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        public void reset() {
            super.reset();
            decided = false;
            swallowed = false;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (!decided) {
                decided = true;
                originalStatus = getStatus();
                swallowed = matches(originalStatus);
            }
            if (swallowed) {
                callback.succeeded();
            } else {
                super.write(last, content, callback);
            }
        }
    }

    /** The GET for the error page: the original request's headers, no body. */
    private static final class PageRequest extends Request.Wrapper {
        private final HttpURI uri;
        private final HttpFields headers;

        PageRequest(Request wrapped, HttpURI uri) {
            super(wrapped);
            this.uri = uri;
            HttpFields.Mutable h = HttpFields.build(wrapped.getHeaders());
            h.remove(HttpHeader.CONTENT_LENGTH);
            h.remove(HttpHeader.TRANSFER_ENCODING);
            h.remove(HttpHeader.CONTENT_TYPE);
            this.headers = h.asImmutable();
        }

        @Override
        public String getMethod() {
            return HttpMethod.GET.asString();
        }

        @Override
        public HttpURI getHttpURI() {
            return uri;
        }

        @Override
        public HttpFields getHeaders() {
            return headers;
        }

        @Override
        public long getLength() {
            return 0;
        }

        @Override
        public Content.Chunk read() {
            return Content.Chunk.EOF;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}

package dev.switchboard.proxy.middleware;

import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * A request as a middleware changed it: another URI (path, query) and/or other headers. Everything
 * else (body, connection, attributes) is the wrapped request's.
 */
public final class RewrittenRequest extends Request.Wrapper {
    private final HttpURI uri;
    private final HttpFields headers;

    private RewrittenRequest(Request wrapped, HttpURI uri, HttpFields headers) {
        super(wrapped);
        this.uri = uri;
        this.headers = headers;
    }

    /** {@code request} with its raw (still percent-encoded) path replaced. */
    public static Request withPath(Request request, String rawPath) {
        HttpURI uri = HttpURI.build(request.getHttpURI()).path(rawPath).asImmutable();
        return new RewrittenRequest(request, uri, request.getHeaders());
    }

    /** {@code request} with its path replaced and its headers edited. */
    public static Request withPathAndHeaders(Request request, String rawPath, Consumer<HttpFields.Mutable> edit) {
        HttpURI uri = HttpURI.build(request.getHttpURI()).path(rawPath).asImmutable();
        HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
        edit.accept(headers);
        return new RewrittenRequest(request, uri, headers.asImmutable());
    }

    /** {@code request} with its headers edited. */
    public static Request withHeaders(Request request, Consumer<HttpFields.Mutable> edit) {
        HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
        edit.accept(headers);
        return new RewrittenRequest(request, request.getHttpURI(), headers.asImmutable());
    }

    /** {@code request} with another URI (path and query). */
    public static Request withUri(Request request, HttpURI uri) {
        return new RewrittenRequest(request, uri, request.getHeaders());
    }

    @Override
    public HttpURI getHttpURI() {
        return uri;
    }

    @Override
    public HttpFields getHeaders() {
        return headers;
    }
}

package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.RequestContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code basicAuth} (RFC 7617): a request without valid credentials gets 401
 * {@code 401 Unauthorized} with {@code WWW-Authenticate: Basic realm="traefik"} (or {@code realm}),
 * so the browser asks for a name and password. The user name goes to the access log;
 * {@code headerField} passes it to the backend; {@code removeHeader} drops {@code Authorization}
 * so the backend never sees the password. Which users entries log in, which refuse every password
 * and which are errors: {@link Htpasswd}.
 */
public final class BasicAuth implements Request.Handler {
    private static final byte[] UNAUTHORIZED = "401 Unauthorized\n".getBytes(StandardCharsets.UTF_8);

    private final Htpasswd users;
    private final String challenge;
    private final boolean removeHeader;
    private final String headerField;
    private final Request.Handler next;

    public BasicAuth(Middleware.BasicAuth config, Request.Handler next) {
        this(config, next, warning -> { });
    }

    /** {@code warn} hears about users entries that can never log in (shown on the middleware in the API and log). */
    public BasicAuth(Middleware.BasicAuth config, Request.Handler next, java.util.function.Consumer<String> warn) {
        this.users = Htpasswd.load(config.usersFile(), config.users(), warn);
        this.challenge = "Basic realm=\"" + config.realm().replace("\"", "\\\"") + "\"";
        this.removeHeader = config.removeHeader();
        this.headerField = config.headerField() == null || config.headerField().isEmpty() ? null : config.headerField();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String[] credentials = credentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        boolean ok = false;
        if (credentials != null) {
            RequestContext ctx = RequestContext.of(request);
            if (ctx != null) {
                ctx.clientUsername(credentials[0]);
            }
            ok = users.check(credentials[0], credentials[1]);
        }
        if (!ok) {
            response.setStatus(HttpStatus.UNAUTHORIZED_401);
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, challenge);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, UNAUTHORIZED.length);
            response.write(true, ByteBuffer.wrap(UNAUTHORIZED), callback);
            return true;
        }
        String user = credentials[0];
        Request forwarded = request;
        if (headerField != null || removeHeader) {
            forwarded = RewrittenRequest.withHeaders(request, h -> {
                if (headerField != null) {
                    h.put(headerField, user);
                }
                if (removeHeader) {
                    h.remove(HttpHeader.AUTHORIZATION);
                }
            });
        }
        return next.handle(forwarded, response, callback);
    }

    /**
     * Go's {@code Request.BasicAuth}: name and password, or null. As Go reads it: the scheme in any
     * case followed by one space, then standard base64 with its padding, nothing trimmed.
     */
    static String[] credentials(String authorization) {
        if (authorization == null || authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String encoded = authorization.substring(6);
        if (encoded.length() % 4 != 0) {
            return null; // Go's StdEncoding wants the padding Java's decoder would forgive
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}

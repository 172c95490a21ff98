package dev.switchboard.proxy.middleware;

import com.google.re2j.Pattern;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code headers}, in Traefik's order: CORS and custom headers, then security headers
 * (Traefik uses unrolled/secure for those), then the service.
 * <ul>
 * <li>Custom headers: {@code customRequestHeaders} are set on the request the backend sees,
 * {@code customResponseHeaders} on the response the client sees; an empty value removes the header.
 * <li>CORS (Fetch standard): a preflight ({@code OPTIONS} with {@code Origin} and
 * {@code Access-Control-Request-Method}) is answered by the proxy with 200 and the
 * {@code Access-Control-Allow-*} headers, never reaching the backend; other requests get
 * {@code Access-Control-Allow-Origin} (and credentials, expose headers, {@code Vary: Origin}) added.
 * <li>Security: {@code allowedHosts} (others get 500 {@code Bad Host}, as unrolled/secure answers),
 * HSTS (only on HTTPS, or a request {@code sslProxyHeaders} mark as HTTPS, unless
 * {@code forceSTSHeader}), X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, CSP,
 * Referrer-Policy, Permissions-Policy, Public-Key-Pins. {@code isDevelopment} turns off the host
 * check and HSTS, as in Traefik.
 * </ul>
 */
public final class Headers implements Request.Handler {
    private final Middleware.Headers config;
    private final List<Pattern> originRegexes = new ArrayList<>();
    private final boolean cors;
    private final Request.Handler next;

    public Headers(Middleware.Headers config, Request.Handler next) {
        this.config = config;
        for (String regex : config.accessControlAllowOriginListRegex()) {
            originRegexes.add(GoRegex.compile("accessControlAllowOriginListRegex", regex));
        }
        this.cors = !config.accessControlAllowHeaders().isEmpty() || !config.accessControlAllowMethods().isEmpty()
                || !config.accessControlAllowOriginList().isEmpty() || !config.accessControlAllowOriginListRegex().isEmpty()
                || !config.accessControlExposeHeaders().isEmpty() || config.accessControlMaxAge() != null
                || Boolean.TRUE.equals(config.accessControlAllowCredentials()) || Boolean.TRUE.equals(config.addVaryHeader());
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (cors && isPreflight(request)) {
            answerPreflight(request, response, callback);
            return true;
        }
        Request edited = config.customRequestHeaders().isEmpty() ? request
                : RewrittenRequest.withHeaders(request, this::editRequestHeaders);
        if (!isDevelopment() && !config.allowedHosts().isEmpty() && !hostAllowed(edited)) {
            Responses.text(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "Bad Host\n");
            return true;
        }
        boolean ssl = edited.isSecure() || sslByProxyHeader(edited);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        InterceptedResponse intercepted = new InterceptedResponse(edited, response,
                () -> editResponseHeaders(response.getHeaders(), origin, ssl));
        return next.handle(edited, intercepted, intercepted.complete(callback));
    }

    private boolean isDevelopment() {
        return Boolean.TRUE.equals(config.isDevelopment());
    }

    private static boolean isPreflight(Request request) {
        return HttpMethod.OPTIONS.is(request.getMethod()) && request.getHeaders().get(HttpHeader.ORIGIN) != null
                && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    private void editRequestHeaders(HttpFields.Mutable headers) {
        config.customRequestHeaders().forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
        });
    }

    private boolean hostAllowed(Request request) {
        String host = null;
        for (String proxyHeader : config.hostsProxyHeaders()) {
            String v = request.getHeaders().get(proxyHeader);
            if (v != null && !v.isEmpty()) {
                host = v;
                break;
            }
        }
        if (host == null) {
            host = Redirects.host(request);
        }
        for (String allowed : config.allowedHosts()) {
            if (allowed.equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    private boolean sslByProxyHeader(Request request) {
        for (Map.Entry<String, String> e : config.sslProxyHeaders().entrySet()) {
            if (e.getValue().equalsIgnoreCase(request.getHeaders().get(e.getKey()))) {
                return true;
            }
        }
        return false;
    }

    private boolean credentials() {
        return Boolean.TRUE.equals(config.accessControlAllowCredentials());
    }

    /** The value of {@code Access-Control-Allow-Origin} for {@code origin}, or null when it is not allowed. */
    String matchOrigin(String origin) {
        for (String item : config.accessControlAllowOriginList()) {
            if (item.equals(origin)) {
                return item;
            }
            if (item.equals("*")) {
                return credentials() && origin != null ? origin : "*"; // no wildcard with credentials
            }
        }
        if (origin != null) {
            for (Pattern p : originRegexes) {
                if (p.matcher(origin).find()) {
                    return origin;
                }
            }
        }
        return null;
    }

    private void answerPreflight(Request request, Response response, Callback callback) {
        HttpFields.Mutable h = response.getHeaders();
        if (credentials()) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        List<String> allowHeaders = config.accessControlAllowHeaders();
        String requested = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        if (allowHeaders.contains("*") && credentials()) {
            if (requested != null && !requested.isEmpty()) {
                h.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, requested);
            }
        } else if (!allowHeaders.isEmpty()) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, String.join(",", allowHeaders));
        }
        List<String> allowMethods = config.accessControlAllowMethods();
        if (allowMethods.contains("*") && credentials()) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD));
        } else if (!allowMethods.isEmpty()) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, String.join(",", allowMethods));
        }
        String allowOrigin = matchOrigin(request.getHeaders().get(HttpHeader.ORIGIN));
        if (allowOrigin != null) {
            h.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
        }
        if (config.accessControlMaxAge() != null) {
            h.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, config.accessControlMaxAge().toString());
        }
        exposeHeaders(h);
        response.setStatus(HttpStatus.OK_200);
        h.put(HttpHeader.CONTENT_LENGTH, 0);
        callback.succeeded();
    }

    private void exposeHeaders(HttpFields.Mutable h) {
        List<String> expose = config.accessControlExposeHeaders();
        if (!expose.isEmpty() && !(expose.contains("*") && credentials())) {
            h.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, String.join(",", expose));
        }
    }

    private void editResponseHeaders(HttpFields.Mutable h, String origin, boolean ssl) {
        config.customResponseHeaders().forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                h.remove(name);
            } else {
                h.put(name, value);
            }
        });
        if (cors) {
            String allowOrigin = matchOrigin(origin);
            if (allowOrigin != null) {
                h.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
            }
            if (credentials()) {
                h.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
            exposeHeaders(h);
            if (Boolean.TRUE.equals(config.addVaryHeader())) {
                String vary = h.get(HttpHeader.VARY);
                if (!"Origin".equals(vary)) {
                    h.put(HttpHeader.VARY, vary == null || vary.isEmpty() ? "Origin" : vary + ",Origin");
                }
            }
        }
        securityHeaders(h, ssl);
    }

    private void securityHeaders(HttpFields.Mutable h, boolean ssl) {
        long sts = config.stsSeconds() == null ? 0 : config.stsSeconds();
        if (sts != 0 && (ssl || Boolean.TRUE.equals(config.forceSTSHeader())) && !isDevelopment()) {
            StringBuilder v = new StringBuilder("max-age=").append(sts);
            if (Boolean.TRUE.equals(config.stsIncludeSubdomains())) {
                v.append("; includeSubDomains");
            }
            if (Boolean.TRUE.equals(config.stsPreload())) {
                v.append("; preload");
            }
            h.put(HttpHeader.STRICT_TRANSPORT_SECURITY, v.toString());
        }
        if (notEmpty(config.customFrameOptionsValue())) {
            h.put("X-Frame-Options", config.customFrameOptionsValue());
        } else if (Boolean.TRUE.equals(config.frameDeny())) {
            h.put("X-Frame-Options", "DENY");
        }
        if (Boolean.TRUE.equals(config.contentTypeNosniff())) {
            h.put("X-Content-Type-Options", "nosniff");
        }
        if (notEmpty(config.customBrowserXSSValue())) {
            h.put("X-XSS-Protection", config.customBrowserXSSValue());
        } else if (Boolean.TRUE.equals(config.browserXssFilter())) {
            h.put("X-XSS-Protection", "1; mode=block");
        }
        if (notEmpty(config.publicKey()) && ssl && !isDevelopment()) {
            h.put("Public-Key-Pins", config.publicKey());
        }
        if (notEmpty(config.contentSecurityPolicy())) {
            h.put("Content-Security-Policy", config.contentSecurityPolicy());
        }
        if (notEmpty(config.contentSecurityPolicyReportOnly())) {
            h.put("Content-Security-Policy-Report-Only", config.contentSecurityPolicyReportOnly());
        }
        if (notEmpty(config.referrerPolicy())) {
            h.put("Referrer-Policy", config.referrerPolicy());
        }
        if (notEmpty(config.permissionsPolicy())) {
            h.put("Permissions-Policy", config.permissionsPolicy());
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

}

package dev.switchboard.proxy.middleware;

import com.google.re2j.Pattern;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.RequestContext;
import dev.switchboard.proxy.http.Responses;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Traefik's {@code forwardAuth}: before the request goes on, a GET with the client's headers is
 * sent to {@code address} (an authentication service). A 2xx answer lets the request through, with
 * the {@code authResponseHeaders} (and those matching {@code authResponseHeadersRegex}) copied from
 * the answer onto the request; any other answer is returned to the client as it is (status,
 * headers, body), so a login redirect or a 401 reaches the browser.
 *
 * <p>The auth service gets {@code X-Forwarded-Method}, {@code -Proto}, {@code -Host}, {@code -Uri},
 * {@code -For} and {@code -Port} describing the original request. With {@code trustForwardHeader}
 * false (the default) those the client sent are replaced; {@code authRequestHeaders} limits which
 * client headers are sent. Unreachable auth service: 500, as in Traefik.
 */
public final class ForwardAuth implements Request.Handler {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "proxy-connection", "content-length");
    private static final Set<String> X_FORWARDED = Set.of("x-forwarded-proto", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-port", "x-forwarded-server", "x-forwarded-uri", "x-forwarded-method", "x-forwarded-prefix",
            "x-real-ip");
    private static final long MAX_AUTH_RESPONSE = 1024 * 1024;

    private final URI address;
    private final boolean trustForwardHeader;
    private final List<String> authResponseHeaders;
    private final Pattern authResponseHeadersRegex;
    private final List<String> authRequestHeaders;
    private final Set<String> authCookies;
    private final String headerField;
    private final Request.Handler next;

    public ForwardAuth(Middleware.ForwardAuth config, Request.Handler next) {
        if (config.address() == null || config.address().isBlank()) {
            throw new ConfigException("address is missing: write address: http://auth-service:4181/verify");
        }
        try {
            this.address = new URI(config.address().trim());
        } catch (URISyntaxException e) {
            throw new ConfigException("address \"" + config.address() + "\" is not a URL: " + e.getReason());
        }
        if (address.getScheme() == null || address.getHost() == null) {
            throw new ConfigException("address \"" + config.address() + "\" must be a URL such as http://auth:4181/verify");
        }
        if (Boolean.TRUE.equals(config.forwardBody())) {
            throw new ConfigException("forwardBody is not supported by Switchboard: authenticate on headers, or remove it");
        }
        this.trustForwardHeader = config.trustForwardHeader();
        this.authResponseHeaders = config.authResponseHeaders();
        this.authResponseHeadersRegex = config.authResponseHeadersRegex() == null || config.authResponseHeadersRegex().isEmpty()
                ? null : GoRegex.compile("authResponseHeadersRegex", config.authResponseHeadersRegex());
        this.authRequestHeaders = config.authRequestHeaders();
        this.authCookies = Set.copyOf(config.addAuthCookiesToResponse());
        this.headerField = config.headerField() == null || config.headerField().isEmpty() ? null : config.headerField();
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        org.eclipse.jetty.client.Request authRequest = Client.INSTANCE.newRequest(address)
                .method(HttpMethod.GET)
                .timeout(30, TimeUnit.SECONDS)
                .followRedirects(false)
                .headers(h -> authRequestHeaders(request, h));
        new CompletableResponseListener(authRequest, (int) MAX_AUTH_RESPONSE).send().whenComplete((auth, failure) -> {
            try {
                if (failure != null) {
                    Responses.status(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500);
                    return;
                }
                onAuthResponse(request, response, callback, auth);
            } catch (Throwable t) {
                callback.failed(t);
            }
        });
        return true;
    }

    private void authRequestHeaders(Request request, HttpFields.Mutable h) {
        h.clear();
        String connection = request.getHeaders().get(HttpHeader.CONNECTION);
        List<String> connectionTokens = new ArrayList<>();
        if (connection != null) {
            for (String t : connection.split(",")) {
                connectionTokens.add(t.trim().toLowerCase(Locale.ROOT));
            }
        }
        for (HttpField f : request.getHeaders()) {
            String lower = f.getLowerCaseName();
            if (HOP_BY_HOP.contains(lower) || connectionTokens.contains(lower) || lower.equals("host")) {
                continue;
            }
            if (!trustForwardHeader && X_FORWARDED.contains(lower)) {
                continue;
            }
            if (!authRequestHeaders.isEmpty() && authRequestHeaders.stream().noneMatch(a -> a.equalsIgnoreCase(f.getName()))
                    && !(trustForwardHeader && X_FORWARDED.contains(lower))) {
                continue;
            }
            h.add(f);
        }
        String clientIp = Request.getRemoteAddr(request);
        String prior = h.get(HttpHeader.X_FORWARDED_FOR);
        h.put(HttpHeader.X_FORWARDED_FOR, prior == null ? clientIp : prior + ", " + clientIp);
        putIfAbsent(h, "X-Forwarded-Method", request.getMethod());
        putIfAbsent(h, "X-Forwarded-Proto", request.isSecure() ? "https" : "http");
        String host = Redirects.host(request);
        putIfAbsent(h, "X-Forwarded-Port", port(host, request.isSecure()));
        putIfAbsent(h, "X-Forwarded-Host", host);
        putIfAbsent(h, "X-Forwarded-Uri", Redirects.requestUri(request));
        if (!h.contains(HttpHeader.USER_AGENT)) {
            h.put(HttpHeader.USER_AGENT, "");
        }
    }

    private static void putIfAbsent(HttpFields.Mutable h, String name, String value) {
        if (!h.contains(name)) {
            h.put(name, value);
        }
    }

    private static String port(String host, boolean secure) {
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']') && colon < host.length() - 1) {
            return host.substring(colon + 1);
        }
        return secure ? "443" : "80";
    }

    private void onAuthResponse(Request request, Response response, Callback callback, ContentResponse auth) throws Exception {
        if (headerField != null) {
            String user = auth.getHeaders().get(headerField);
            RequestContext ctx = RequestContext.of(request);
            if (user != null && ctx != null) {
                ctx.clientUsername(user);
            }
        }
        int status = auth.getStatus();
        if (status < 200 || status >= 300) {
            response.setStatus(status);
            for (HttpField f : auth.getHeaders()) {
                if (!HOP_BY_HOP.contains(f.getLowerCaseName()) && !f.getLowerCaseName().equals("content-encoding")) {
                    response.getHeaders().add(f);
                }
            }
            byte[] body = auth.getContent();
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return;
        }
        Request authorized = RewrittenRequest.withHeaders(request, h -> {
            for (String name : authResponseHeaders) {
                h.remove(name);
                for (String v : auth.getHeaders().getValuesList(name)) {
                    h.add(name, v);
                }
            }
            if (authResponseHeadersRegex != null) {
                List<String> drop = new ArrayList<>();
                for (HttpField f : h) {
                    if (authResponseHeadersRegex.matcher(f.getName()).find()) {
                        drop.add(f.getName());
                    }
                }
                drop.forEach(h::remove);
                for (HttpField f : auth.getHeaders()) {
                    if (authResponseHeadersRegex.matcher(f.getName()).find()) {
                        h.add(f);
                    }
                }
            }
        });
        List<String> cookies = new ArrayList<>();
        for (String setCookie : auth.getHeaders().getValuesList(HttpHeader.SET_COOKIE)) {
            if (authCookies.contains(cookieName(setCookie))) {
                cookies.add(setCookie);
            }
        }
        if (cookies.isEmpty()) {
            if (!next.handle(authorized, response, callback)) {
                Responses.notFound(response, callback);
            }
            return;
        }
        InterceptedResponse withCookies = new InterceptedResponse(authorized, response, () -> {
            HttpFields.Mutable h = response.getHeaders();
            List<String> kept = new ArrayList<>();
            for (String c : h.getValuesList(HttpHeader.SET_COOKIE)) {
                if (!authCookies.contains(cookieName(c))) {
                    kept.add(c);
                }
            }
            h.remove(HttpHeader.SET_COOKIE);
            kept.forEach(c -> h.add(HttpHeader.SET_COOKIE, c));
            cookies.forEach(c -> h.add(HttpHeader.SET_COOKIE, c));
        });
        if (!next.handle(authorized, withCookies, withCookies.complete(callback))) {
            Responses.notFound(response, callback);
        }
    }

    private static String cookieName(String setCookie) {
        int eq = setCookie.indexOf('=');
        return (eq < 0 ? setCookie : setCookie.substring(0, eq)).trim();
    }

    /** One HTTP client for every forwardAuth middleware: it outlives reloads, like the forwarder's. */
    private static final class Client {
        static final HttpClient INSTANCE = start();

        private static HttpClient start() {
            QueuedThreadPool threads = new QueuedThreadPool(32, 2);
            threads.setName("forward-auth");
            threads.setDaemon(true);
            HttpClient client = new HttpClient();
            client.setExecutor(threads);
            client.setScheduler(new org.eclipse.jetty.util.thread.ScheduledExecutorScheduler("forward-auth-timer", true));
            client.setFollowRedirects(false);
            client.setUserAgentField(null);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the forwardAuth HTTP client", e);
            }
            return client;
        }
    }
}

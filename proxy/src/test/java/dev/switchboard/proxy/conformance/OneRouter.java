package dev.switchboard.proxy.conformance;

import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real proxy whose only router has the rule under test, in front of a real backend: how Traefik's
 * muxer tests (a muxer with one route, a request, 200 or 404) are replayed over HTTP. A Traefik
 * test URL such as {@code https://example.com:8080/path?q=1} becomes the request line
 * {@code GET /path?q=1 HTTP/1.1} with {@code Host: example.com:8080}, written on the socket as it
 * is (raw path characters, non-ASCII bytes and all).
 */
final class OneRouter implements AutoCloseable {
    private final Backend backend;
    private final ProxyFixture proxy;

    private OneRouter(Backend backend, ProxyFixture proxy) {
        this.backend = backend;
        this.proxy = proxy;
    }

    static OneRouter start(String rule, String... flags) throws Exception {
        Backend backend = new Backend("routed");
        try {
            String yaml = """
                    http:
                      routers:
                        r:
                          rule: '%s'
                          service: s
                      services:
                        s:
                          loadBalancer:
                            servers: [{url: "%s"}]
                    """.formatted(rule.replace("'", "''"), backend.url());
            return new OneRouter(backend, ProxyFixture.start(yaml, flags));
        } catch (Exception e) {
            backend.close();
            throw e;
        }
    }

    /** A table's expectations: URL (or method, or address), status, URL, status... in order. */
    static Map<String, Integer> expect(Object... keyThenStatus) {
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyThenStatus.length; i += 2) {
            m.put((String) keyThenStatus[i], (Integer) keyThenStatus[i + 1]);
        }
        return m;
    }

    /** The router as the API shows it. */
    RouterInfo router() {
        return proxy.proxy().runtime().routers().get("r@file");
    }

    ProxyFixture proxy() {
        return proxy;
    }

    Backend backend() {
        return backend;
    }

    int port() {
        return proxy.proxy().port("web");
    }

    /** GET a Traefik test URL. */
    int status(String url) throws IOException {
        return send("GET", url, Map.of()).status();
    }

    RawHttp.Response send(String method, String url, Map<String, List<String>> headers) throws IOException {
        return RawHttp.send(port(), head(method, url, headers));
    }

    /** The request head for a Traefik test URL: origin-form target and Host header. */
    static String head(String method, String url, Map<String, List<String>> headers) {
        int schemeEnd = url.indexOf("://");
        String rest = schemeEnd < 0 ? url : url.substring(schemeEnd + 3);
        int slash = indexOfAny(rest, "/?");
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String target = slash < 0 ? "/" : rest.substring(slash);
        if (target.startsWith("?")) {
            target = "/" + target;
        }
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host);
        List<String> lines = new ArrayList<>();
        headers.forEach((name, values) -> values.forEach(v -> lines.add(name + ": " + v)));
        for (String line : lines) {
            head.append("\r\n").append(line);
        }
        return head.toString();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.close();
        } finally {
            backend.close();
        }
    }
}

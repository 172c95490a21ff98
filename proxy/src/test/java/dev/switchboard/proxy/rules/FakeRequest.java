package dev.switchboard.proxy.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request for rule tests: {@code GET http://host/path?query} with headers and a client address. */
final class FakeRequest implements RoutingRequest {
    private final String method;
    private final String host;
    private final String path;
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String clientIp = "127.0.0.1";

    private FakeRequest(String method, String host, String path) {
        this.method = method;
        this.host = host;
        this.path = path;
    }

    /** {@code "GET example.com /a/b?x=1&y"}; a host of {@code -} means none. */
    static FakeRequest of(String line) {
        String[] parts = line.split(" ");
        String target = parts[2];
        int q = target.indexOf('?');
        FakeRequest r = new FakeRequest(parts[0], parts[1].equals("-") ? "" : parts[1].toLowerCase(Locale.ROOT),
                q < 0 ? target : target.substring(0, q));
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                r.query.computeIfAbsent(k, x -> new ArrayList<>()).add(eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return r;
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest from(String ip) {
        this.clientIp = ip;
        return this;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String routingPath() {
        return path;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public List<String> queryValues(String name) {
        return query.get(name);
    }

    @Override
    public String clientIp() {
        return clientIp;
    }
}

package dev.switchboard.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;

/**
 * One row of a middleware table: a request sent through the real proxy (to the router of a Host),
 * and what the backend must have seen and the client must get. {@code null} as an expected header
 * value means the header must be absent.
 */
public final class Exchange {
    private final String name;
    private String host = "localhost";
    private String method = "GET";
    private String path = "/";
    private String body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int status = 200;
    private boolean backendReached = true;
    private String backendPath;
    private String backendQuery;
    private String backendBody;
    private final Map<String, String> backendHeaders = new LinkedHashMap<>();
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private String responseBody;
    private final List<String> bodyContains = new ArrayList<>();

    private Exchange(String name) {
        this.name = name;
    }

    public static Exchange row(String name) {
        return new Exchange(name);
    }

    public Exchange host(String h) {
        this.host = h;
        return this;
    }

    public Exchange get(String p) {
        return request("GET", p);
    }

    public Exchange request(String m, String p) {
        this.method = m;
        this.path = p;
        return this;
    }

    public Exchange body(String b) {
        this.body = b;
        return this;
    }

    public Exchange header(String n, String v) {
        headers.put(n, v);
        return this;
    }

    public Exchange status(int s) {
        this.status = s;
        return this;
    }

    /** The request must not reach the backend. */
    public Exchange answeredByProxy() {
        this.backendReached = false;
        return this;
    }

    public Exchange backendPath(String p) {
        this.backendPath = p;
        return this;
    }

    public Exchange backendQuery(String q) {
        this.backendQuery = q;
        return this;
    }

    public Exchange backendBody(String b) {
        this.backendBody = b;
        return this;
    }

    public Exchange backendHeader(String n, String v) {
        backendHeaders.put(n, v);
        return this;
    }

    public Exchange responseHeader(String n, String v) {
        responseHeaders.put(n, v);
        return this;
    }

    public Exchange responseBody(String b) {
        this.responseBody = b;
        return this;
    }

    public Exchange responseBodyContains(String b) {
        bodyContains.add(b);
        return this;
    }

    /** Sends the request on entry point {@code web} and checks every expectation. */
    public ContentResponse check(ProxyFixture proxy, Backend backend) throws Exception {
        return check(proxy, backend, "web");
    }

    public ContentResponse check(ProxyFixture proxy, Backend backend, String entryPoint) throws Exception {
        backend.reset();
        Request request = proxy.client().newRequest(proxy.url(entryPoint, path)).method(method)
                .timeout(15, TimeUnit.SECONDS)
                .headers(h -> {
                    h.put("Host", host);
                    headers.forEach(h::put);
                });
        if (body != null) {
            request.body(new StringRequestContent("text/plain", body));
        }
        ContentResponse response = request.send();
        String what = name + " (" + method + " " + host + path + ")";
        assertEquals(status, response.getStatus(), what + ": status; body " + response.getContentAsString());
        if (!backendReached) {
            assertEquals(0, backend.count(), what + ": the backend must not be reached");
        } else {
            assertEquals(1, backend.count(), what + ": the backend must see the request once");
            Backend.Seen seen = backend.last();
            if (backendPath != null) {
                assertEquals(backendPath, seen.path(), what + ": path the backend saw");
            }
            if (backendQuery != null) {
                assertEquals(backendQuery, seen.query(), what + ": query the backend saw");
            }
            if (backendBody != null) {
                assertEquals(backendBody, seen.body(), what + ": body the backend saw");
            }
            backendHeaders.forEach((n, v) -> {
                if (v == null) {
                    assertNull(seen.header(n), what + ": the backend must not see " + n);
                } else {
                    assertEquals(v, seen.header(n), what + ": header " + n + " the backend saw");
                }
            });
        }
        responseHeaders.forEach((n, v) -> {
            if (v == null) {
                assertNull(response.getHeaders().get(n), what + ": the client must not get " + n);
            } else {
                assertEquals(v, response.getHeaders().get(n), what + ": response header " + n);
            }
        });
        if (responseBody != null) {
            assertEquals(responseBody, response.getContentAsString(), what + ": response body");
        }
        for (String part : bodyContains) {
            assertTrue(response.getContentAsString().contains(part), what + ": body contains " + part + ": "
                    + response.getContentAsString());
        }
        return response;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Dynamic YAML with one router per middleware: Host(`NAME`) -> middleware NAME -> service {@code backend}. */
    public static String routers(Backend backend, Map<String, String> middlewares) {
        StringBuilder y = new StringBuilder("http:\n  routers:\n");
        middlewares.keySet().forEach(n -> y.append("    ").append(n).append(":\n      rule: \"Host(`").append(n)
                .append("`)\"\n      middlewares: [").append(n).append("]\n      service: backend\n"));
        y.append("    plain:\n      rule: \"Host(`plain`)\"\n      service: backend\n");
        y.append("  middlewares:\n");
        middlewares.forEach((n, body) -> {
            y.append("    ").append(n).append(":\n");
            for (String line : body.strip().split("\n")) {
                y.append("      ").append(line).append('\n');
            }
        });
        y.append("  services:\n    backend:\n      loadBalancer:\n        servers: [{url: \"").append(backend.url())
                .append("\"}]\n");
        return y.toString();
    }
}

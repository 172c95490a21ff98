package dev.switchboard.proxy.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard's files, read once from the jar ({@code dev/switchboard/proxy/dashboard/}): plain
 * HTML, CSS and JavaScript, no build step and nothing fetched from the internet, so the dashboard
 * works in a lab with no network. The Content-Security-Policy keeps it that way: the page may load
 * and call only its own origin.
 */
final class DashboardAssets {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'none'";
    private static final String ROOT = "/dev/switchboard/proxy/dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> content = new LinkedHashMap<>();

    DashboardAssets() {
        for (String name : FILES.keySet()) {
            try (InputStream in = DashboardAssets.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard file " + ROOT + name + " is missing from the jar");
                }
                content.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Answers with file {@code name} ({@code ""} is {@code index.html}); false if there is no such file.
     */
    boolean serve(String name, String method, Response response, Callback callback) {
        String file = name.isEmpty() ? "index.html" : name;
        byte[] bytes = content.get(file);
        if (bytes == null) {
            return false;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, FILES.get(file));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if (HttpMethod.HEAD.is(method)) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
        return true;
    }
}

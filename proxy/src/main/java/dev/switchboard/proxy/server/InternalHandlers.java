package dev.switchboard.proxy.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;

/**
 * Services built into the proxy, named {@code <name>@internal} as in Traefik: {@code ping@internal},
 * {@code noop@internal}, and the API, dashboard and metrics when they are on.
 */
public final class InternalHandlers {
    private final Map<String, Request.Handler> handlers = new ConcurrentHashMap<>();

    public InternalHandlers() {
        handlers.put("noop@internal", (request, response, callback) -> {
            callback.succeeded();
            return true;
        });
    }

    public void register(String qualifiedName, Request.Handler handler) {
        handlers.put(qualifiedName, handler);
    }

    public Request.Handler get(String qualifiedName) {
        return handlers.get(qualifiedName);
    }

    public boolean isInternal(String qualifiedName) {
        return qualifiedName != null && qualifiedName.endsWith("@internal");
    }

    public java.util.Set<String> names() {
        return java.util.Set.copyOf(handlers.keySet());
    }
}

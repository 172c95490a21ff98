package dev.switchboard.proxy.server;

import dev.switchboard.proxy.rules.RequestMatcher;
import dev.switchboard.proxy.rules.RoutingRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.jetty.server.Request;

/**
 * The compiled routers of one entry point, highest priority first (ties by name, so the order never
 * depends on map iteration). Immutable; a reload builds a new table and swaps it in.
 */
public final class RouterTable {
    public static final RouterTable EMPTY = new RouterTable(List.of());

    /**
     * One router: its rule and the handler chain (middlewares, then service) behind it. A
     * {@code tls} route answers only requests that came over TLS, the others only plain ones, as
     * Traefik keeps an HTTP and an HTTPS router table per entry point.
     */
    public record Route(String routerName, int priority, RequestMatcher matcher, Request.Handler handler, boolean tls) {
        public Route(String routerName, int priority, RequestMatcher matcher, Request.Handler handler) {
            this(routerName, priority, matcher, handler, false);
        }
    }

    private final Route[] routes;

    public RouterTable(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt(Route::priority).reversed().thenComparing(Route::routerName));
        this.routes = sorted.toArray(Route[]::new);
    }

    /** The first plain-HTTP route whose rule matches, or null. */
    public Route match(RoutingRequest request) {
        return match(request, false);
    }

    /** The first route for this kind of connection ({@code secure}: TLS) whose rule matches, or null. */
    public Route match(RoutingRequest request, boolean secure) {
        for (Route route : routes) {
            if (route.tls() == secure && route.matcher().matches(request)) {
                return route;
            }
        }
        return null;
    }

    public List<Route> routes() {
        return List.of(routes);
    }
}

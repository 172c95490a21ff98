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
    public record Route(String routerName, int priority, RequestMatcher matcher, Request.Handler handler, boolean tls,
            boolean nonBlocking) {
        public Route(String routerName, int priority, RequestMatcher matcher, Request.Handler handler) {
            this(routerName, priority, matcher, handler, false, false);
        }

        public Route(String routerName, int priority, RequestMatcher matcher, Request.Handler handler, boolean tls) {
            this(routerName, priority, matcher, handler, tls, false);
        }
    }

    private final Route[] routes;
    private final boolean nonBlocking;

    public RouterTable(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt(Route::priority).reversed().thenComparing(Route::routerName));
        this.routes = sorted.toArray(Route[]::new);
        this.nonBlocking = sorted.stream().allMatch(Route::nonBlocking);
    }

    /**
     * True when no router of the table can block the thread that handles a request (each route's
     * {@code nonBlocking}, decided by the configuration compiler from its middlewares and service):
     * requests may then be handled on a selector thread. A table without routers answers 404s only,
     * which never block either.
     */
    public boolean nonBlocking() {
        return nonBlocking;
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

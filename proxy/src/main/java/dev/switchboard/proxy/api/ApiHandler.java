package dev.switchboard.proxy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.Version;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.internal.InternalProvider;
import dev.switchboard.proxy.runtime.MiddlewareInfo;
import dev.switchboard.proxy.runtime.RouterInfo;
import dev.switchboard.proxy.runtime.RuntimeConfiguration;
import dev.switchboard.proxy.runtime.ServiceInfo;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ConnectionStatistics;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code api@internal}: Traefik's read-only API, under {@code --api.basePath} (default {@code /}).
 * <ul>
 * <li>{@code /api/overview}, {@code /api/rawdata}, {@code /api/version};</li>
 * <li>{@code /api/entrypoints} and {@code /api/entrypoints/{name}};</li>
 * <li>{@code /api/http/routers}, {@code /api/http/services}, {@code /api/http/middlewares}, each also
 * {@code /{name@provider}}, lists filtered by {@code search}, {@code status}, {@code serviceName},
 * {@code middlewareName}, sorted by {@code sortBy}/{@code direction}, paged by {@code page} and
 * {@code per_page} with the next page in {@code X-Next-Page};</li>
 * <li>{@code /api/tcp/*} and {@code /api/udp/*}: empty lists, as Switchboard routes HTTP only;</li>
 * <li>{@code /api/switchboard/stats}: a Switchboard extension with live counters for the dashboard.</li>
 * </ul>
 * As in Traefik, the same service also serves the dashboard under {@code /dashboard/} (unless
 * {@code --api.dashboard=false}), so one user router such as
 * {@code PathPrefix(`/api`) || PathPrefix(`/dashboard`)} to {@code api@internal} publishes both.
 * Errors are {@code {"message": "..."}} with 400 or 404, as Traefik writes them.
 */
public final class ApiHandler implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** What the API reads: the static configuration, the configuration now serving, and live state. */
    public record Sources(StaticConfig config, Supplier<RuntimeConfiguration> runtime, StateRegistry states,
            List<String> internalServices, Map<String, ConnectionStatistics> connections, TrafficStats traffic,
            Instant started) {
    }

    private final Sources sources;
    private final String base;
    private final DashboardAssets dashboard;

    public ApiHandler(Sources sources) {
        this.sources = sources;
        this.base = InternalProvider.basePath(sources.config().api());
        this.dashboard = sources.config().api() != null && sources.config().api().dashboard() ? new DashboardAssets() : null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path == null || !path.startsWith(base)) {
            Responses.notFound(response, callback);
            return true;
        }
        String rest = path.substring(base.length());
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.status(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        try {
            if (dashboard != null && (rest.isEmpty() || rest.equals("/") || rest.equals("/dashboard"))) {
                // Traefik's dashboard.Append: the base path answers 302 to the dashboard, behind any X-Forwarded-Prefix.
                Response.sendRedirect(request, response, callback, HttpStatus.FOUND_302,
                        forwardedPrefix(request) + base + "/dashboard/", true);
            } else if (dashboard != null && rest.startsWith("/dashboard/")) {
                if (!dashboard.serve(rest.substring("/dashboard/".length()), request.getMethod(), response, callback)) {
                    Responses.notFound(response, callback);
                }
            } else if (rest.startsWith("/api/")) {
                api(rest, request, response, callback);
            } else {
                Responses.notFound(response, callback);
            }
        } catch (ApiException e) {
            error(response, callback, e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("API request {} failed", path, e);
            error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, String.valueOf(e.getMessage()));
        }
        return true;
    }

    /** X-Forwarded-Prefix as set by a stripPrefix in front of the API; ignored unless it is a plain path. */
    private static String forwardedPrefix(Request request) {
        String prefix = request.getHeaders().get("X-Forwarded-Prefix");
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        try {
            URI uri = new URI(prefix.trim());
            if (uri.getScheme() != null || uri.getHost() != null || !prefix.startsWith("/") || prefix.startsWith("//")) {
                return "";
            }
        } catch (java.net.URISyntaxException e) {
            return "";
        }
        String p = prefix.trim();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private void api(String path, Request request, Response response, Callback callback) {
        RuntimeConfiguration rt = sources.runtime().get();
        Fields params = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        switch (path) {
            case "/api/rawdata" -> json(response, callback,
                    ApiViews.rawdata(rt, sources.states(), sources.internalServices(), sources.config().defaultEntryPoints()), null);
            case "/api/overview" -> json(response, callback, ApiViews.overview(sources.config(), rt, sources.internalServices()), null);
            case "/api/version" -> json(response, callback, ApiViews.version(Version.get(), sources.started(), sources.config().behaviour()), null);
            case "/api/entrypoints" -> entryPoints(params, response, callback);
            case "/api/http/routers" -> routers(rt, params, response, callback);
            case "/api/http/services" -> services(rt, params, response, callback);
            case "/api/http/middlewares" -> middlewares(rt, params, response, callback);
            case "/api/tcp/routers", "/api/tcp/services", "/api/tcp/middlewares", "/api/udp/routers", "/api/udp/services" ->
                    list(ListQuery.parse(params).page(List.<JsonNode>of()), response, callback);
            case "/api/switchboard/stats" -> json(response, callback,
                    sources.traffic().snapshot(ApiViews.JSON, rt, sources.states(), sources.connections()), null);
            default -> one(path, rt, response, callback);
        }
    }

    private void one(String path, RuntimeConfiguration rt, Response response, Callback callback) {
        if (path.startsWith("/api/entrypoints/")) {
            String id = id(path, "/api/entrypoints/", "entryPointID");
            StaticConfig.EntryPoint ep = sources.config().entryPoints().get(id);
            if (ep == null) {
                throw new ApiException(404, "entry point not found: " + id);
            }
            json(response, callback, ApiViews.entryPoint(id, ep), null);
        } else if (path.startsWith("/api/http/routers/")) {
            String id = id(path, "/api/http/routers/", "routerID");
            RouterInfo info = rt.routers().get(id);
            if (info == null) {
                throw new ApiException(404, "router not found: " + id);
            }
            json(response, callback, ApiViews.router(info, sources.config().defaultEntryPoints()).json(), null);
        } else if (path.startsWith("/api/http/services/")) {
            String id = id(path, "/api/http/services/", "serviceID");
            ServiceInfo info = rt.services().get(id);
            if (info != null) {
                json(response, callback, ApiViews.service(info, sources.states()).json(), null);
            } else if (sources.internalServices().contains(id)) {
                json(response, callback, ApiViews.internalService(id, rt).json(), null);
            } else {
                throw new ApiException(404, "service not found: " + id);
            }
        } else if (path.startsWith("/api/http/middlewares/")) {
            String id = id(path, "/api/http/middlewares/", "middlewareID");
            MiddlewareInfo info = rt.middlewares().get(id);
            if (info == null) {
                throw new ApiException(404, "middleware not found: " + id);
            }
            json(response, callback, ApiViews.middleware(info).json(), null);
        } else if (path.matches("/api/(tcp|udp)/(routers|services|middlewares)/.+")) {
            String kind = path.split("/")[3];
            String id = id(path, path.substring(0, path.indexOf('/', "/api/tcp/".length()) + 1), "id");
            throw new ApiException(404, kind.substring(0, kind.length() - 1) + " not found: " + id);
        } else {
            Responses.notFound(response, callback);
        }
    }

    private static String id(String path, String prefix, String what) {
        String raw = path.substring(prefix.length());
        try {
            return URIUtil.decodePath(raw);
        } catch (RuntimeException e) {
            throw new ApiException(400, "unable to decode " + what + " \"" + raw + "\": " + e.getMessage());
        }
    }

    private void entryPoints(Fields params, Response response, Callback callback) {
        ListQuery q = ListQuery.parse(params);
        List<JsonNode> all = new java.util.TreeMap<>(sources.config().entryPoints()).entrySet().stream()
                .map(e -> (JsonNode) ApiViews.entryPoint(e.getKey(), e.getValue())).toList();
        list(q.page(all), response, callback);
    }

    private void routers(RuntimeConfiguration rt, Fields params, Response response, Callback callback) {
        ListQuery q = ListQuery.parse(params);
        List<ApiViews.RouterView> kept = ApiViews.routers(rt, sources.config().defaultEntryPoints()).stream()
                .filter(r -> q.withStatus(r.status()) && q.searchIn(r.rule(), r.name()) && q.filterService(r.service())
                        && q.filterMiddleware(r.middlewares()))
                .toList();
        List<ApiViews.RouterView> sorted = q.sort(kept, ApiViews.RouterView::name, Map.<String, Function<ApiViews.RouterView, Comparable<?>>>of(
                "provider", ApiViews.RouterView::provider,
                "priority", ApiViews.RouterView::priority,
                "status", ApiViews.RouterView::status,
                "rule", ApiViews.RouterView::rule,
                "service", ApiViews.RouterView::service,
                "entryPoints", ApiViews.RouterView::entryPoints));
        list(q.page(sorted.stream().map(r -> (JsonNode) r.json()).toList()), response, callback);
    }

    private void services(RuntimeConfiguration rt, Fields params, Response response, Callback callback) {
        ListQuery q = ListQuery.parse(params);
        List<ApiViews.ServiceView> kept = ApiViews.services(rt, sources.states(), sources.internalServices()).stream()
                .filter(s -> q.withStatus(s.status()) && q.searchIn(s.name())).toList();
        List<ApiViews.ServiceView> sorted = q.sort(kept, ApiViews.ServiceView::name, Map.<String, Function<ApiViews.ServiceView, Comparable<?>>>of(
                "type", ApiViews.ServiceView::type,
                "servers", ApiViews.ServiceView::servers,
                "provider", ApiViews.ServiceView::provider,
                "status", ApiViews.ServiceView::status));
        list(q.page(sorted.stream().map(s -> (JsonNode) s.json()).toList()), response, callback);
    }

    private void middlewares(RuntimeConfiguration rt, Fields params, Response response, Callback callback) {
        ListQuery q = ListQuery.parse(params);
        List<ApiViews.MiddlewareView> kept = ApiViews.middlewares(rt).stream()
                .filter(m -> q.withStatus(m.status()) && q.searchIn(m.name())).toList();
        List<ApiViews.MiddlewareView> sorted = q.sort(kept, ApiViews.MiddlewareView::name,
                Map.<String, Function<ApiViews.MiddlewareView, Comparable<?>>>of(
                        "type", ApiViews.MiddlewareView::type,
                        "provider", ApiViews.MiddlewareView::provider,
                        "status", ApiViews.MiddlewareView::status));
        list(q.page(sorted.stream().map(m -> (JsonNode) m.json()).toList()), response, callback);
    }

    private static void list(ListQuery.Page<JsonNode> page, Response response, Callback callback) {
        ArrayNode array = ApiViews.JSON.createArrayNode();
        page.items().forEach(array::add);
        json(response, callback, array, Integer.toString(page.nextPage()));
    }

    private static void json(Response response, Callback callback, JsonNode body, String nextPage) {
        byte[] bytes;
        try {
            bytes = (ApiViews.JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (nextPage != null) {
            response.getHeaders().put(ListQuery.NEXT_PAGE_HEADER, nextPage);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Traefik's {@code writeError}: the JSON {@code {"message": ...}} sent as Go's {@code http.Error} sends text. */
    private static void error(Response response, Callback callback, int status, String message) {
        ObjectNode n = ApiViews.JSON.createObjectNode().put("message", message);
        try {
            Responses.text(response, callback, status, ApiViews.JSON.writeValueAsString(n) + "\n");
        } catch (JsonProcessingException e) {
            Responses.text(response, callback, status, message + "\n");
        }
    }
}

package dev.switchboard.proxy.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.eclipse.jetty.util.Fields;

/**
 * The query parameters of Traefik's list endpoints: filters ({@code search}, {@code status},
 * {@code serviceName}, {@code middlewareName}), sorting ({@code sortBy}, {@code direction}) and
 * pages ({@code page}, {@code per_page}, default 1 and 100). The next page's number goes in the
 * {@code X-Next-Page} header, 1 on the last page, as Traefik does.
 */
final class ListQuery {
    static final String NEXT_PAGE_HEADER = "X-Next-Page";
    private static final int DEFAULT_PER_PAGE = 100;

    final String search;
    final String status;
    final String serviceName;
    final String middlewareName;
    final String sortBy;
    final boolean descending;
    final int page;
    final int perPage;

    private ListQuery(Fields params) {
        this.search = value(params, "search");
        this.status = value(params, "status");
        this.serviceName = value(params, "serviceName");
        this.middlewareName = value(params, "middlewareName");
        this.sortBy = value(params, "sortBy");
        this.descending = "desc".equals(value(params, "direction"));
        this.perPage = positive(params, "per_page", DEFAULT_PER_PAGE);
        this.page = positive(params, "page", 1);
    }

    static ListQuery parse(Fields params) {
        return new ListQuery(params);
    }

    private static String value(Fields params, String name) {
        String v = params.getValue(name);
        return v == null ? "" : v;
    }

    private static int positive(Fields params, String name, int defaultValue) {
        String raw = value(params, name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        int v;
        try {
            v = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "invalid request: " + name + ": " + raw);
        }
        if (v <= 0) {
            throw new ApiException(400, "invalid request: " + name + ": " + v);
        }
        return v;
    }

    /** {@code status} filter: matches when absent or equal without regard to case. */
    boolean withStatus(String elementStatus) {
        return status.isEmpty() || status.equalsIgnoreCase(elementStatus);
    }

    /** {@code search} filter: a case-insensitive substring of any of {@code values}. */
    boolean searchIn(String... values) {
        if (search.isEmpty()) {
            return true;
        }
        String needle = search.toLowerCase(Locale.ROOT);
        for (String v : values) {
            if (v != null && v.toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    /** {@code serviceName} filter: with a provider it must match exactly, without one the name part must. */
    boolean filterService(String routerService) {
        if (serviceName.isEmpty()) {
            return true;
        }
        if (routerService == null) {
            return false;
        }
        if (routerService.contains("@")) {
            return serviceName.equals(routerService);
        }
        int at = serviceName.indexOf('@');
        return (at < 0 ? serviceName : serviceName.substring(0, at)).equals(routerService);
    }

    /** {@code middlewareName} filter: the router uses that middleware, named as the router names it. */
    boolean filterMiddleware(List<String> middlewares) {
        return middlewareName.isEmpty() || middlewares.contains(middlewareName);
    }

    /**
     * Sorts {@code items} by the column {@code sortBy} names ({@code columns}; by name when unknown),
     * ties broken by name, both reversed for {@code direction=desc}.
     */
    <T> List<T> sort(List<T> items, Function<T, String> name, java.util.Map<String, Function<T, Comparable<?>>> columns) {
        Function<T, Comparable<?>> key = columns.getOrDefault(sortBy, name::apply);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<T> order = Comparator.comparing((Function) key).thenComparing(name);
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(descending ? order.reversed() : order);
        return sorted;
    }

    /** One page of {@code items}; a page past the end is a 400, as in Traefik (except page 1 of nothing). */
    <T> Page<T> page(List<T> items) {
        int start = (page - 1) * perPage;
        if (start != 0 && start >= items.size()) {
            throw new ApiException(400, "invalid request: page: " + page + ", per_page: " + perPage);
        }
        int end = Math.min(start + perPage, items.size());
        int next = (long) page * perPage < items.size() ? page + 1 : 1;
        return new Page<>(items.subList(start, end), next);
    }

    record Page<T>(List<T> items, int nextPage) {
    }
}

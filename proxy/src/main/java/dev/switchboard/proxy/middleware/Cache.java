package dev.switchboard.proxy.middleware;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Switchboard's {@code cache} (Traefik's open-source proxy has none): a shared HTTP cache in memory
 * following a subset of RFC 9111, so students can watch a reverse proxy take load off a backend.
 * <ul>
 * <li>Stored: answers to GET with status 200, 203, 204, 300, 301, 308, 404, 405, 410, 414 or 501
 * and a freshness lifetime: {@code s-maxage}, else {@code max-age}, else {@code Expires} minus
 * {@code Date}, else {@code defaultTtl} (default 0: nothing without an explicit lifetime). Not
 * stored: {@code no-store}, {@code private}, {@code Vary: *}, {@code Set-Cookie}, requests with
 * {@code Authorization} (RFC 9111 3.5), bodies over {@code maxEntryBytes}.
 * <li>Served from the cache while fresh, with {@code Age} (RFC 9111 5.1) and
 * {@code X-Cache: HIT}; what went to the backend says {@code X-Cache: MISS}. {@code Vary}
 * keeps one entry per value of the named request headers.
 * <li>Stale (or {@code no-cache}) entries with an {@code ETag} or {@code Last-Modified} are
 * revalidated: the backend gets {@code If-None-Match} / {@code If-Modified-Since}; a 304 refreshes
 * the entry and the client gets the stored body ({@code X-Cache: HIT}).
 * <li>A client's {@code Cache-Control: no-cache} forces revalidation, {@code no-store} bypasses
 * the cache; a client's own {@code If-None-Match} is answered 304 from a fresh entry.
 * <li>Unsafe methods (POST, PUT, PATCH, DELETE) drop the stored entries of their URL (RFC 9111 4.4).
 * </ul>
 * Entries live in a Caffeine cache bounded by {@code maxSizeBytes} (default 64 MiB, weighed by body
 * and header size, least recently/frequently used evicted first). The cache belongs to the router
 * and starts empty after a configuration reload.
 */
public final class Cache implements Request.Handler {
    static final String X_CACHE = "X-Cache";
    private static final Set<Integer> CACHEABLE = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    private static final Set<String> NOT_STORED_HEADERS = Set.of("connection", "keep-alive", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authenticate", "age", "x-cache", "content-length");

    private final com.github.benmanes.caffeine.cache.Cache<String, Entry> entries;
    private final Map<String, List<String>> varyByUrl = new ConcurrentHashMap<>();
    private final long maxEntryBytes;
    private final long defaultTtlMillis;
    private final LongSupplier clock;
    private final Request.Handler next;

    public Cache(Middleware.Cache config, Request.Handler next) {
        this(config, next, System::currentTimeMillis);
    }

    Cache(Middleware.Cache config, Request.Handler next, LongSupplier clockMillis) {
        if (config.maxSizeBytes() <= 0) {
            throw new ConfigException("maxSizeBytes must be more than 0");
        }
        if (config.maxEntryBytes() <= 0) {
            throw new ConfigException("maxEntryBytes must be more than 0");
        }
        if (config.defaultTtl().isNegative()) {
            throw new ConfigException("defaultTtl must not be negative");
        }
        // Maintenance (eviction) on the calling thread: the size bound holds at once even when the
        // machine is busy, instead of whenever the common pool gets to it.
        this.entries = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumWeight(config.maxSizeBytes())
                .weigher((String key, Entry e) -> (int) Math.min(Integer.MAX_VALUE, e.weight() + key.length()))
                .build();
        this.maxEntryBytes = config.maxEntryBytes();
        this.defaultTtlMillis = config.defaultTtl().toMillis();
        this.clock = clockMillis;
        this.next = next;
    }

    /** One stored response. */
    record Entry(int status, HttpFields headers, byte[] body, long storedAt, long initialAgeMillis, long lifetimeMillis,
            boolean alwaysRevalidate) {
        long weight() {
            long h = 0;
            for (HttpField f : headers) {
                h += f.getName().length() + (f.getValue() == null ? 0 : f.getValue().length()) + 4;
            }
            return body.length + h + 64;
        }

        long ageMillis(long now) {
            return initialAgeMillis + Math.max(0, now - storedAt);
        }

        boolean fresh(long now) {
            return !alwaysRevalidate && ageMillis(now) < lifetimeMillis;
        }

        boolean hasValidator() {
            return headers.contains(HttpHeader.ETAG) || headers.contains(HttpHeader.LAST_MODIFIED);
        }
    }

    /** The number of stored entries (tests, the curious). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String url = url(request);
        boolean get = HttpMethod.GET.is(method);
        boolean head = HttpMethod.HEAD.is(method);
        if (!get && !head) {
            if (!HttpMethod.OPTIONS.is(method) && !HttpMethod.TRACE.is(method)) {
                invalidate(url);
            }
            return next.handle(request, response, callback);
        }
        CacheControl requestCc = CacheControl.parse(request.getHeaders().getValuesList(HttpHeader.CACHE_CONTROL));
        boolean pragmaNoCache = request.getHeaders().getValuesList(HttpHeader.PRAGMA).stream()
                .anyMatch(p -> p.toLowerCase(Locale.ROOT).contains("no-cache"));
        if (requestCc.has("no-store") || request.getHeaders().contains(HttpHeader.AUTHORIZATION)) {
            return passThrough(request, response, callback);
        }
        String key = key(url, request);
        Entry entry = entries.getIfPresent(key);
        long now = clock.getAsLong();
        boolean clientWantsValidation = requestCc.has("no-cache") || pragmaNoCache
                || requestCc.seconds("max-age").map(s -> entry != null && entry.ageMillis(now) > s * 1000).orElse(false);
        if (entry != null && entry.fresh(now) && !clientWantsValidation) {
            serve(request, response, callback, entry, now);
            return true;
        }
        boolean revalidate = entry != null && entry.hasValidator();
        Request toBackend = request;
        if (revalidate) {
            toBackend = RewrittenRequest.withHeaders(request, h -> {
                h.remove(HttpHeader.IF_NONE_MATCH);
                h.remove(HttpHeader.IF_MODIFIED_SINCE);
                String etag = entry.headers().get(HttpHeader.ETAG);
                if (etag != null) {
                    h.put(HttpHeader.IF_NONE_MATCH, etag);
                }
                String lastModified = entry.headers().get(HttpHeader.LAST_MODIFIED);
                if (lastModified != null) {
                    h.put(HttpHeader.IF_MODIFIED_SINCE, lastModified);
                }
            });
        }
        Capture capture = new Capture(toBackend, response, get && !request.getHeaders().contains(HttpHeader.RANGE), revalidate ? entry : null);
        Request sent = toBackend;
        Callback afterBackend = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                if (capture.notModified) {
                    Entry refreshed = refresh(entry, capture.notModifiedHeaders, clock.getAsLong());
                    entries.put(key, refreshed);
                    serve(request, response, callback, refreshed, clock.getAsLong());
                    return;
                }
                if (capture.storable && !capture.overflow) {
                    store(url, key, sent, capture);
                }
                super.succeeded();
            }
        };
        if (!next.handle(toBackend, capture, afterBackend)) {
            Responses.notFound(capture, afterBackend);
        }
        return true;
    }

    private boolean passThrough(Request request, Response response, Callback callback) throws Exception {
        InterceptedResponse marked = new InterceptedResponse(request, response, () -> response.getHeaders().put(X_CACHE, "MISS"));
        return next.handle(request, marked, marked.complete(callback));
    }

    private static String url(Request request) {
        return (request.isSecure() ? "https" : "http") + "://" + Redirects.host(request).toLowerCase(Locale.ROOT)
                + Redirects.requestUri(request);
    }

    private String key(String url, Request request) {
        List<String> vary = varyByUrl.get(url);
        if (vary == null || vary.isEmpty()) {
            return url;
        }
        StringBuilder key = new StringBuilder(url);
        for (String name : vary) {
            key.append('\n').append(name).append('=').append(String.join(",", request.getHeaders().getValuesList(name)));
        }
        return key.toString();
    }

    private void invalidate(String url) {
        varyByUrl.remove(url);
        entries.asMap().keySet().removeIf(k -> k.equals(url) || k.startsWith(url + "\n"));
    }

    private void store(String url, String oldKey, Request request, Capture capture) {
        List<String> vary = new ArrayList<>();
        for (String v : capture.headers.getCSV(HttpHeader.VARY, false)) {
            vary.add(v.trim().toLowerCase(Locale.ROOT));
        }
        vary.sort(null);
        List<String> previous = varyByUrl.put(url, List.copyOf(vary));
        if (previous != null && !previous.equals(vary)) {
            invalidate(url);
            varyByUrl.put(url, List.copyOf(vary));
        }
        Entry e = new Entry(capture.status, capture.headers, capture.body.toByteArray(), clock.getAsLong(),
                capture.initialAgeMillis, capture.lifetimeMillis, capture.alwaysRevalidate);
        entries.put(key(url, request), e);
    }

    private static Entry refresh(Entry entry, HttpFields notModified, long now) {
        HttpFields.Mutable merged = HttpFields.build(entry.headers());
        for (HttpField f : notModified) {
            if (!NOT_STORED_HEADERS.contains(f.getLowerCaseName()) && !f.getLowerCaseName().equals("content-type")) {
                merged.put(f.getName(), f.getValue());
            }
        }
        return new Entry(entry.status(), merged.asImmutable(), entry.body(), now, 0, entry.lifetimeMillis(),
                entry.alwaysRevalidate());
    }

    private void serve(Request request, Response response, Callback callback, Entry entry, long now) {
        boolean notModified = notModifiedForClient(request, entry);
        response.reset();
        response.setStatus(notModified ? HttpStatus.NOT_MODIFIED_304 : entry.status());
        HttpFields.Mutable h = response.getHeaders();
        for (HttpField f : entry.headers()) {
            h.add(f);
        }
        h.put(HttpHeader.AGE, Long.toString(entry.ageMillis(now) / 1000));
        h.put(X_CACHE, "HIT");
        if (notModified || HttpMethod.HEAD.is(request.getMethod())) {
            if (!notModified) {
                h.put(HttpHeader.CONTENT_LENGTH, entry.body().length);
            }
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return;
        }
        h.put(HttpHeader.CONTENT_LENGTH, entry.body().length);
        response.write(true, ByteBuffer.wrap(entry.body()), callback);
    }

    /** RFC 9110 13.1.2 and 13.1.3, for a client revalidating its own copy against ours. */
    private static boolean notModifiedForClient(Request request, Entry entry) {
        if (entry.status() != 200) {
            return false;
        }
        String inm = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        String etag = entry.headers().get(HttpHeader.ETAG);
        if (inm != null) {
            if (etag == null) {
                return false;
            }
            for (String candidate : inm.split(",")) {
                String c = candidate.trim();
                if (c.equals("*") || weak(c).equals(weak(etag))) {
                    return true;
                }
            }
            return false;
        }
        String ims = request.getHeaders().get(HttpHeader.IF_MODIFIED_SINCE);
        String lastModified = entry.headers().get(HttpHeader.LAST_MODIFIED);
        if (ims != null && lastModified != null) {
            long since = HttpFieldsDates.parse(ims);
            long modified = HttpFieldsDates.parse(lastModified);
            return since >= 0 && modified >= 0 && modified <= since;
        }
        return false;
    }

    private static String weak(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    /** Passes the backend's answer on (marked MISS) and keeps a copy when it may be stored. */
    private final class Capture extends Response.Wrapper {
        private final boolean mayStore;
        private final Entry revalidating;
        boolean decided;
        boolean storable;
        boolean overflow;
        boolean notModified;
        HttpFields notModifiedHeaders;
        int status;
        HttpFields headers;
        long lifetimeMillis;
        long initialAgeMillis;
        boolean alwaysRevalidate;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Capture(Request request, Response wrapped, boolean mayStore, Entry revalidating) {
            super(request, wrapped);
            this.mayStore = mayStore;
            this.revalidating = revalidating;
        }

        @Override
        public void reset() {
            super.reset();
            decided = false;
            storable = false;
            notModified = false;
            body.reset();
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (!decided) {
                decided = true;
                decide();
            }
            if (notModified) {
                callback.succeeded();
                return;
            }
            if (storable && !overflow && content != null && content.hasRemaining()) {
                if (body.size() + (long) content.remaining() > maxEntryBytes) {
                    overflow = true;
                    body.reset();
                } else {
                    body.write(BufferUtil.toArray(content.duplicate()), 0, content.remaining());
                }
            }
            super.write(last, content, callback);
        }

        private void decide() {
            status = getStatus();
            HttpFields.Mutable h = getHeaders();
            if (revalidating != null && status == HttpStatus.NOT_MODIFIED_304) {
                notModified = true;
                notModifiedHeaders = h.asImmutable();
                return;
            }
            h.put(X_CACHE, "MISS");
            if (!mayStore || !CACHEABLE.contains(status) || h.contains(HttpHeader.SET_COOKIE)
                    || getWrapped().isCommitted()) {
                return;
            }
            CacheControl cc = CacheControl.parse(h.getValuesList(HttpHeader.CACHE_CONTROL));
            if (cc.has("no-store") || cc.has("private")) {
                return;
            }
            for (String v : h.getCSV(HttpHeader.VARY, false)) {
                if (v.trim().equals("*")) {
                    return;
                }
            }
            long lifetime = cc.seconds("s-maxage").or(() -> cc.seconds("max-age")).map(s -> s * 1000).orElse(-1L);
            if (lifetime < 0 && h.contains(HttpHeader.EXPIRES)) {
                long expires = HttpFieldsDates.parse(h.get(HttpHeader.EXPIRES));
                long date = h.contains(HttpHeader.DATE) ? HttpFieldsDates.parse(h.get(HttpHeader.DATE)) : clock.getAsLong();
                lifetime = expires < 0 ? 0 : Math.max(0, expires - date);
            }
            alwaysRevalidate = cc.has("no-cache");
            if (lifetime < 0) {
                lifetime = defaultTtlMillis;
            }
            if (lifetime <= 0 && !(alwaysRevalidate && (h.contains(HttpHeader.ETAG) || h.contains(HttpHeader.LAST_MODIFIED)))) {
                return;
            }
            lifetimeMillis = lifetime;
            long age = h.getLongField(HttpHeader.AGE);
            initialAgeMillis = age > 0 ? age * 1000 : 0;
            HttpFields.Mutable stored = HttpFields.build();
            for (HttpField f : h) {
                if (!NOT_STORED_HEADERS.contains(f.getLowerCaseName())) {
                    stored.add(f);
                }
            }
            headers = stored.asImmutable();
            storable = true;
        }
    }

    /** {@code Cache-Control} directives (RFC 9111 5.2), names in lower case. */
    record CacheControl(Map<String, String> directives) {
        static CacheControl parse(List<String> values) {
            Map<String, String> d = new java.util.HashMap<>();
            for (String value : values) {
                for (String part : value.split(",")) {
                    String p = part.trim();
                    if (p.isEmpty()) {
                        continue;
                    }
                    int eq = p.indexOf('=');
                    String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                    String arg = eq < 0 ? "" : p.substring(eq + 1).trim().replace("\"", "");
                    d.putIfAbsent(name, arg);
                }
            }
            return new CacheControl(d);
        }

        boolean has(String name) {
            return directives.containsKey(name);
        }

        java.util.Optional<Long> seconds(String name) {
            String v = directives.get(name);
            if (v == null) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(Math.max(0, Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return java.util.Optional.of(0L); // RFC 9111 4.2.1: an invalid lifetime is stale
            }
        }
    }

    /** HTTP dates (RFC 9110 5.6.7) in milliseconds, or -1. */
    static final class HttpFieldsDates {
        private HttpFieldsDates() {
        }

        static long parse(String value) {
            if (value == null) {
                return -1;
            }
            try {
                return java.time.ZonedDateTime.parse(value.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant().toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                return -1;
            }
        }
    }

}

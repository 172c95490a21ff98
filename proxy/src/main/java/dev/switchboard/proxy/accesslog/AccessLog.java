package dev.switchboard.proxy.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.http.RequestContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * Traefik's access log, field for field. {@code common}:
 * <pre>ClientHost - user [10/Oct/2024:13:55:36 +0000] "GET /path HTTP/1.1" 200 12 "referer" "user-agent" 1 "router@provider" "http://server:port" 3ms</pre>
 * {@code genericCLF} stops after the user agent; {@code json} writes Traefik's field names, one
 * object a line. Written to {@code filePath} or stdout, after each request unless
 * {@code bufferingSize} lines may wait.
 */
public final class AccessLog implements RequestLog, AutoCloseable {
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private final String format;
    private final java.io.Writer out;
    private final int bufferingSize;
    private final Filter filter;
    private int pending;

    public AccessLog(StaticConfig.AccessLog config) {
        this.format = config.format().toLowerCase(Locale.ROOT);
        this.bufferingSize = config.bufferingSize() == null ? 0 : Math.max(0, config.bufferingSize());
        this.filter = new Filter(config.filters());
        this.out = open(config.filePath());
    }

    private static java.io.Writer open(String filePath) {
        if (filePath == null || filePath.isBlank()) {
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        }
        Path path = Path.of(filePath);
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            return Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigException("--accesslog.filepath=" + filePath + ": cannot open for writing: " + e.getMessage(), e);
        }
    }

    @Override
    public void log(Request request, Response response) {
        RequestContext ctx = RequestContext.of(request);
        if (ctx == null) {
            return;
        }
        long durationNanos = System.nanoTime() - ctx.startNanos();
        int status = response.getStatus();
        if (!filter.keep(status, ctx.retryAttempts(), durationNanos)) {
            return;
        }
        String line = switch (format) {
            case "json" -> json(request, response, ctx, durationNanos);
            case "genericclf" -> clf(request, response, ctx, durationNanos, false);
            default -> clf(request, response, ctx, durationNanos, true);
        };
        write(line);
    }

    private synchronized void write(String line) {
        try {
            out.write(line);
            out.write("\n");
            if (++pending > bufferingSize) {
                out.flush();
                pending = 0;
            }
        } catch (IOException e) {
            // An access log that cannot be written must not fail requests.
        }
    }

    static String clf(Request request, Response response, RequestContext ctx, long durationNanos, boolean traefikFields) {
        StringBuilder b = new StringBuilder(200);
        b.append(orDash(Request.getRemoteAddr(request))).append(" - ").append(orDash(ctx.clientUsername()))
                .append(" [").append(CLF_TIME.format(ctx.start())).append("] \"")
                .append(request.getMethod()).append(' ').append(requestPath(request)).append(' ')
                .append(request.getConnectionMetaData().getProtocol()).append("\" ")
                .append(response.getStatus()).append(' ').append(Response.getContentBytesWritten(response)).append(' ')
                .append(quoted(request.getHeaders().get(HttpHeader.REFERER))).append(' ')
                .append(quoted(request.getHeaders().get(HttpHeader.USER_AGENT)));
        if (traefikFields) {
            b.append(' ').append(ctx.requestCount()).append(' ').append(quoted(ctx.routerName())).append(' ')
                    .append(quoted(ctx.serverUrl())).append(' ').append(durationNanos / 1_000_000).append("ms");
        }
        return b.toString();
    }

    static String json(Request request, Response response, RequestContext ctx, long durationNanos) {
        Map<String, Object> f = new TreeMap<>();
        String clientIp = Request.getRemoteAddr(request);
        int clientPort = Request.getRemotePort(request);
        f.put("ClientAddr", hostPort(clientIp, clientPort));
        f.put("ClientHost", clientIp);
        f.put("ClientPort", String.valueOf(clientPort));
        f.put("ClientUsername", orDash(ctx.clientUsername()));
        f.put("DownstreamContentSize", Response.getContentBytesWritten(response));
        f.put("DownstreamStatus", response.getStatus());
        f.put("Duration", durationNanos);
        String host = request.getHeaders().get(HttpHeader.HOST);
        f.put("RequestAddr", host == null ? "" : host);
        String hostOnly = request.getHttpURI().getHost();
        f.put("RequestHost", hostOnly == null ? "" : hostOnly);
        f.put("RequestPort", request.getHttpURI().getPort() > 0 ? String.valueOf(request.getHttpURI().getPort()) : "-");
        f.put("RequestMethod", request.getMethod());
        f.put("RequestPath", requestPath(request));
        f.put("RequestProtocol", request.getConnectionMetaData().getProtocol());
        f.put("RequestScheme", request.isSecure() ? "https" : "http");
        f.put("RequestContentSize", Math.max(0, request.getLength()));
        f.put("RequestCount", ctx.requestCount());
        f.put("RetryAttempts", ctx.retryAttempts());
        f.put("entryPointName", ctx.entryPoint());
        if (ctx.routerName() != null) {
            f.put("RouterName", ctx.routerName());
        }
        if (ctx.serviceName() != null) {
            f.put("ServiceName", ctx.serviceName());
        }
        if (ctx.serverUrl() != null) {
            f.put("ServiceURL", ctx.serverUrl());
            URI u = URI.create(ctx.serverUrl());
            f.put("ServiceAddr", u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost());
        }
        if (ctx.originStatus() > 0) {
            f.put("OriginStatus", ctx.originStatus());
            f.put("OriginDuration", ctx.originNanos());
            f.put("OriginContentSize", Response.getContentBytesWritten(response));
            f.put("Overhead", Math.max(0, durationNanos - ctx.originNanos()));
        }
        f.put("StartUTC", ctx.start().toString());
        f.put("StartLocal", ctx.start().atZone(ZoneId.systemDefault()).toOffsetDateTime().toString());
        f.put("level", "info");
        f.put("msg", "");
        f.put("time", Instant.now().atZone(ZoneId.systemDefault()).toOffsetDateTime().withNano(0).toString());
        StringWriter w = new StringWriter(400);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : f.entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof Number n) {
                    g.writeNumber(n.longValue());
                } else {
                    g.writeString(String.valueOf(v));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    private static String requestPath(Request request) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }

    private static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** Traefik quotes these fields and escapes inner quotes; a missing value is {@code "-"}. */
    private static String quoted(String s) {
        return s == null || s.isEmpty() ? "\"-\"" : "\"" + s.replace("\"", "\\\"") + "\"";
    }

    @Override
    public synchronized void close() {
        try {
            out.flush();
        } catch (IOException e) {
            // closing
        }
    }

    /** Traefik's access log filters: keep a line if any configured filter matches; none configured keeps all. */
    static final class Filter {
        private final List<int[]> statusRanges = new ArrayList<>();
        private final boolean retryAttempts;
        private final long minDurationNanos;
        private final boolean any;

        Filter(StaticConfig.AccessLogFilters filters) {
            if (filters == null) {
                retryAttempts = false;
                minDurationNanos = 0;
                any = false;
                return;
            }
            for (String range : filters.statusCodes()) {
                String[] parts = range.trim().split("-", 2);
                try {
                    int lo = Integer.parseInt(parts[0].trim());
                    int hi = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : lo;
                    statusRanges.add(new int[] {lo, hi});
                } catch (NumberFormatException e) {
                    throw new ConfigException("--accesslog.filters.statuscodes: \"" + range
                            + "\" is not a status code or range such as 404 or 500-599");
                }
            }
            retryAttempts = filters.retryAttempts();
            minDurationNanos = filters.minDuration().toNanos();
            any = !statusRanges.isEmpty() || retryAttempts || minDurationNanos > 0;
        }

        boolean keep(int status, int retries, long durationNanos) {
            if (!any) {
                return true;
            }
            for (int[] r : statusRanges) {
                if (status >= r[0] && status <= r[1]) {
                    return true;
                }
            }
            if (retryAttempts && retries > 0) {
                return true;
            }
            return minDurationNanos > 0 && durationNanos > minDurationNanos;
        }
    }
}

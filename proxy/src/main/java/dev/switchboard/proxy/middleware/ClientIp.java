package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.ip.IpRanges;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Traefik's {@code ipStrategy}: which address counts as the client's.
 * <ul>
 * <li>none, or {@code depth: 0} without {@code excludedIPs}: the address of the TCP peer;
 * <li>{@code depth: n}: the n-th address from the right of {@code X-Forwarded-For} (empty when the
 * header is shorter), for a proxy behind n trusted proxies;
 * <li>{@code excludedIPs}: the right-most address of {@code X-Forwarded-For} that is not excluded.
 * </ul>
 * X-Forwarded-For is read as the request arrived (before this proxy appends the peer), as in Traefik.
 */
public final class ClientIp {
    private ClientIp() {
    }

    /** The strategy for {@code strategy} (null: the TCP peer). */
    public static Function<Request, String> strategy(Middleware.IpStrategy strategy) {
        if (strategy == null) {
            return Request::getRemoteAddr;
        }
        if (strategy.depth() < 0) {
            throw new ConfigException("ipStrategy.depth must be 0 or more, not " + strategy.depth());
        }
        if (strategy.depth() > 0) {
            int depth = strategy.depth();
            return request -> {
                String[] xff = xff(request);
                return xff.length < depth ? "" : xff[xff.length - depth].trim();
            };
        }
        if (!strategy.excludedIPs().isEmpty()) {
            IpRanges excluded;
            try {
                excluded = IpRanges.parse(strategy.excludedIPs());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("ipStrategy.excludedIPs: " + e.getMessage());
            }
            return request -> {
                String[] xff = xff(request);
                for (int i = xff.length - 1; i >= 0; i--) {
                    String ip = xff[i].trim();
                    if (!ip.isEmpty() && !excluded.contains(ip)) {
                        return ip;
                    }
                }
                return "";
            };
        }
        return Request::getRemoteAddr;
    }

    private static String[] xff(Request request) {
        String value = String.join(",", request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        return value.isEmpty() ? new String[0] : value.split(",", -1);
    }

    /**
     * Traefik's {@code sourceCriterion}: what groups requests for {@code rateLimit} and
     * {@code inFlightReq}: the client IP (by {@code ipStrategy}), a request header, or the Host.
     * {@code whenUnset} is used when no criterion is given.
     */
    public static Function<Request, String> source(Middleware.SourceCriterion criterion, boolean hostWhenUnset) {
        boolean header = criterion != null && criterion.requestHeaderName() != null && !criterion.requestHeaderName().isEmpty();
        boolean host = criterion != null && criterion.requestHost();
        boolean ip = criterion != null && criterion.ipStrategy() != null;
        if (ip && host) {
            throw new ConfigException("sourceCriterion: ipStrategy and requestHost are mutually exclusive");
        }
        if (header && host) {
            throw new ConfigException("sourceCriterion: requestHost and requestHeaderName are mutually exclusive");
        }
        if (ip && header) {
            throw new ConfigException("sourceCriterion: ipStrategy and requestHeaderName are mutually exclusive");
        }
        if (ip) {
            return strategy(criterion.ipStrategy());
        }
        if (header) {
            String name = criterion.requestHeaderName();
            return request -> {
                String v = request.getHeaders().get(name);
                return v == null ? "" : v;
            };
        }
        if (host || hostWhenUnset) {
            return Redirects::host;
        }
        return Request::getRemoteAddr;
    }
}

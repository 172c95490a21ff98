package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.http.Responses;
import dev.switchboard.proxy.ip.IpRanges;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code ipAllowList}: only clients whose address (see {@link ClientIp}) is in
 * {@code sourceRange} reach the service; the others get 403 {@code Forbidden} (or
 * {@code rejectStatusCode}).
 */
public final class IpAllowList implements Request.Handler {
    private final IpRanges allowed;
    private final Function<Request, String> clientIp;
    private final int rejectStatus;
    private final Request.Handler next;

    public IpAllowList(Middleware.IpAllowList config, Request.Handler next) {
        if (config.sourceRange().isEmpty()) {
            throw new ConfigException("sourceRange is empty: write sourceRange: [127.0.0.1/32, 192.168.1.0/24]");
        }
        try {
            this.allowed = IpRanges.parse(config.sourceRange());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sourceRange: " + e.getMessage());
        }
        this.clientIp = ClientIp.strategy(config.ipStrategy());
        Integer reject = config.rejectStatusCode();
        if (reject != null && reject != 0 && (reject < 100 || reject > 599 || HttpStatus.getMessage(reject) == null)) {
            throw new ConfigException("invalid HTTP status code " + reject);
        }
        this.rejectStatus = reject == null || reject == 0 ? HttpStatus.FORBIDDEN_403 : reject;
        this.next = next;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (allowed.contains(clientIp.apply(request))) {
            return next.handle(request, response, callback);
        }
        Responses.status(response, callback, rejectStatus);
        return true;
    }
}

package dev.switchboard.proxy.service;

import dev.switchboard.proxy.forward.MirrorCopy;
import dev.switchboard.proxy.http.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code failover} service: requests go to {@code service} while it is up, to
 * {@code fallback} while it is down. "Down" means no server of the main service is available.
 *
 * <p>As in Traefik v3.2 the main service's health comes from its health check (the service builder
 * refuses a failover whose main service has none); the fallback's is followed only with
 * {@code healthCheck: {}} on the failover service, and when both are down the answer is
 * {@code 503 Service Unavailable}. With {@code implicitParentHealth} (Switchboard only) both are
 * always followed, passive health included, and when both are down the main service gets the
 * request (it may come back first; it answers 503 {@code no available server} if its servers are
 * known down).
 */
public final class FailoverHandler implements ServiceHandler {
    private final String serviceName;
    private final Request.Handler main;
    private final Request.Handler fallback;
    private final boolean followsFallback;
    private final boolean mainWhenBothDown;

    /**
     * @param followsFallback  whether the fallback's health counts (else it is always taken as up)
     * @param mainWhenBothDown whether the main service gets the request when both are down
     *                         (Switchboard), rather than a 503 (Traefik)
     */
    public FailoverHandler(String serviceName, Request.Handler main, Request.Handler fallback, boolean followsFallback,
            boolean mainWhenBothDown) {
        this.serviceName = serviceName;
        this.main = main;
        this.fallback = fallback;
        this.followsFallback = followsFallback;
        this.mainWhenBothDown = mainWhenBothDown;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    private boolean fallbackUp() {
        return !followsFallback || ServiceHandler.up(fallback);
    }

    @Override
    public boolean up() {
        return ServiceHandler.up(main) || fallbackUp();
    }

    @Override
    public boolean mayBlock() {
        return ServiceHandler.mayBlock(main) || ServiceHandler.mayBlock(fallback);
    }

    /** The service to send to, or null when both are down and Traefik answers 503. */
    private Request.Handler target() {
        if (ServiceHandler.up(main)) {
            return main;
        }
        if (fallbackUp()) {
            return fallback;
        }
        return mainWhenBothDown ? main : null;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Request.Handler target = target();
        if (target == null) {
            // Go's http.Error, as Traefik's failover answers: the status text and a newline.
            Responses.text(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "Service Unavailable\n");
            return true;
        }
        return target.handle(request, response, callback);
    }

    @Override
    public void mirror(MirrorCopy copy) {
        if (target() instanceof ServiceHandler s) {
            s.mirror(copy);
        }
    }
}

package dev.switchboard.proxy.service;

import dev.switchboard.proxy.forward.MirrorCopy;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Traefik's {@code failover} service: requests go to {@code service} while it is up, to
 * {@code fallback} while it is down. "Down" means no server of the main service is available: its
 * active health check found them down, or traffic did (refused connections, and the passive check's
 * failures). Traefik requires a health check on the main service for this; Switchboard also fails
 * over on passive health alone. When both are down the main service gets the request (it may come
 * back first; it answers 503 {@code no available server} if its servers are known down).
 */
public final class FailoverHandler implements ServiceHandler {
    private final String serviceName;
    private final Request.Handler main;
    private final Request.Handler fallback;

    public FailoverHandler(String serviceName, Request.Handler main, Request.Handler fallback) {
        this.serviceName = serviceName;
        this.main = main;
        this.fallback = fallback;
    }

    @Override
    public String serviceName() {
        return serviceName;
    }

    @Override
    public boolean up() {
        return ServiceHandler.up(main) || ServiceHandler.up(fallback);
    }

    @Override
    public boolean mayBlock() {
        return ServiceHandler.mayBlock(main) || ServiceHandler.mayBlock(fallback);
    }

    private Request.Handler target() {
        return ServiceHandler.up(main) || !ServiceHandler.up(fallback) ? main : fallback;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return target().handle(request, response, callback);
    }

    @Override
    public void mirror(MirrorCopy copy) {
        if (target() instanceof ServiceHandler s) {
            s.mirror(copy);
        }
    }
}

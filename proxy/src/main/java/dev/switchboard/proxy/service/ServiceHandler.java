package dev.switchboard.proxy.service;

import dev.switchboard.proxy.forward.MirrorCopy;
import org.eclipse.jetty.server.Request;

/**
 * The handler of one service (loadBalancer, weighted, mirroring or failover). Besides handling
 * requests it knows whether it can serve ({@link #up()}), which parents consult to skip a child
 * that is down, and it can send a fire-and-forget copy of a request ({@link #mirror}).
 */
public interface ServiceHandler extends Request.Handler {

    /** The qualified service name. */
    String serviceName();

    /**
     * Whether the service has somewhere to send requests: a loadBalancer with an available server,
     * a weighted service with a child up, a failover with main or fallback up. Computed on demand
     * from the servers' health, so a parent always sees its children's current state (Traefik
     * propagates the same information by events, and only with {@code healthCheck: {}} on every
     * parent).
     */
    boolean up();

    /** Sends a copy of a request to one of the service's servers and discards the answer. */
    void mirror(MirrorCopy copy);

    /**
     * Whether handling a request may block the calling thread (buffering a body, waiting on another
     * exchange). A load balancer never does: it hands the request to the forwarder and returns.
     * Parents may block when a child may. Routers whose services and middlewares never block can
     * run on selector threads ({@code RouterTable.nonBlocking()}).
     */
    boolean mayBlock();

    /** Whether {@code handler} may block: {@link #mayBlock()}, or true for handlers that are not services (internal ones). */
    static boolean mayBlock(Request.Handler handler) {
        return !(handler instanceof ServiceHandler s) || s.mayBlock();
    }

    /** Whether {@code handler} can serve: {@link #up()}, or true for handlers that are not services (internal ones). */
    static boolean up(Request.Handler handler) {
        return !(handler instanceof ServiceHandler s) || s.up();
    }
}

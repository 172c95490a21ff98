package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.service.ServerState;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;

/** Picks one server for one request. Built by a {@link Strategy} over a service's servers. */
@FunctionalInterface
public interface Selector {

    /**
     * A server among those that pass {@code eligible} (available, and not already tried by this
     * request), or null when there is none.
     */
    ServerState select(Request request, Predicate<ServerState> eligible);
}

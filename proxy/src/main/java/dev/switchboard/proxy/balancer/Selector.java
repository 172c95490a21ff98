package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.service.ServerState;
import java.util.function.Predicate;

/**
 * Picks one server for one request. Built by a {@link Strategy} over a service's servers; one
 * selector serves every request of one compiled configuration, from many threads at once.
 */
@FunctionalInterface
public interface Selector {

    /**
     * A server among those that pass {@code eligible} (available, and not already tried by this
     * request), or null when there is none.
     *
     * @param clientAddress the client's IP address as text, which affinity strategies ({@code hrw})
     *                      hash; other strategies ignore it
     */
    ServerState select(String clientAddress, Predicate<ServerState> eligible);
}

package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.util.function.Predicate;

/**
 * Picks one server for one request. Built by a {@link Strategy} over a service's servers; one
 * selector serves every request of one compiled configuration, from many threads at once. What the
 * strategy learns between requests (its rotation, response times) is the selector's own state,
 * guarded by the selector; a selector built at a reload continues from the one it replaces.
 */
public interface Selector {

    /**
     * A server among those that pass {@code eligible} (available, and not already tried by this
     * request), or null when there is none.
     *
     * @param clientAddress the client's IP address as text, which affinity strategies ({@code hrw})
     *                      hash; other strategies ignore it
     */
    ServerState select(String clientAddress, Predicate<ServerState> eligible);

    /**
     * How long {@code server} took to send response headers (or until the proxy gave up on it),
     * for strategies that learn from response times ({@code leasttime}); others ignore it.
     */
    default void responded(ServerState server, long nanos) {
    }
}

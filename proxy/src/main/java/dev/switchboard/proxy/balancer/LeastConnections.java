package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.service.ServerState;
import java.util.List;
import java.util.function.Predicate;

/**
 * Least connections ({@code leastconn}, as HAProxy and nginx's {@code least_conn}): the server with
 * the fewest requests in flight relative to its weight. A slow server accumulates requests in
 * flight, so it gets fewer new ones. Ties (for instance every server idle) rotate by smooth
 * weighted round robin, so light traffic is still spread by weight.
 */
final class LeastConnections implements Selector {
    static final Strategy STRATEGY = Strategy.of("leastconn", LeastConnections::new);

    private final ServerState[] servers;
    private final ServerState[] tied;

    LeastConnections(List<ServerState> servers) {
        this.servers = servers.toArray(ServerState[]::new);
        this.tied = new ServerState[this.servers.length];
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        synchronized (tied) {
            int n = 0;
            long bestLoad = 0;
            int bestWeight = 1;
            for (ServerState s : servers) {
                if (!eligible.test(s)) {
                    continue;
                }
                long load = s.inFlight();
                int weight = Math.max(1, s.weight());
                // load / weight < bestLoad / bestWeight, without division
                long cmp = n == 0 ? -1 : Long.compare(load * bestWeight, bestLoad * weight);
                if (cmp < 0) {
                    n = 0;
                    bestLoad = load;
                    bestWeight = weight;
                }
                if (cmp <= 0) {
                    tied[n++] = s;
                }
            }
            if (n <= 1) {
                return n == 0 ? null : tied[0];
            }
            return SmoothWeightedRoundRobin.pick(tied, n, s -> true);
        }
    }
}

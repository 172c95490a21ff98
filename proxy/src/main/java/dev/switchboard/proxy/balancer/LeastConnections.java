package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.util.List;
import java.util.function.Predicate;

/**
 * Least connections ({@code leastconn}, as HAProxy and nginx's {@code least_conn}): the server with
 * the fewest requests in flight relative to its weight. A slow server accumulates requests in
 * flight, so it gets fewer new ones. Ties (for instance every server idle) rotate by smooth
 * weighted round robin, so light traffic is still spread by weight.
 */
final class LeastConnections implements Selector, SmoothRotation.Rotating {
    static final Strategy STRATEGY = Strategy.of("leastconn", LeastConnections::new);

    private final ServerState[] servers;
    private final int[] tied;
    private final SmoothRotation rotation;

    LeastConnections(List<ServerState> servers, Selector previous) {
        this.servers = servers.toArray(ServerState[]::new);
        this.tied = new int[this.servers.length];
        this.rotation = new SmoothRotation(this.servers, SmoothRotation.of(previous));
    }

    @Override
    public SmoothRotation rotation() {
        return rotation;
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        synchronized (rotation) {
            int n = 0;
            long bestLoad = 0;
            int bestWeight = 1;
            for (int i = 0; i < servers.length; i++) {
                ServerState s = servers[i];
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
                    tied[n++] = i;
                }
            }
            return rotation.pickTied(tied, n);
        }
    }
}

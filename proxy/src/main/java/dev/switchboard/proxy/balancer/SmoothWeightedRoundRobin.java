package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.service.ServerState;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;

/**
 * Smooth weighted round robin, as nginx does it: each pick adds every eligible server's weight to
 * its running weight, takes the largest, and subtracts the total from the winner. Weights 5,1,1
 * give a,a,b,a,c,a,a rather than a,a,a,a,a,b,c; equal weights give plain round robin. A server
 * that is not eligible is skipped without disturbing the others' order.
 */
final class SmoothWeightedRoundRobin implements Selector {
    static final Strategy STRATEGY = Strategy.of("wrr", SmoothWeightedRoundRobin::new);

    private final ServerState[] servers;

    SmoothWeightedRoundRobin(List<ServerState> servers) {
        this.servers = servers.toArray(ServerState[]::new);
    }

    @Override
    public ServerState select(Request request, Predicate<ServerState> eligible) {
        synchronized (servers) {
            ServerState best = null;
            long total = 0;
            for (ServerState s : servers) {
                if (!eligible.test(s)) {
                    continue;
                }
                int w = s.weight();
                s.addCurrentWeight(w);
                total += w;
                if (best == null || s.currentWeight() > best.currentWeight()) {
                    best = s;
                }
            }
            if (best != null) {
                best.addCurrentWeight(-total);
            }
            return best;
        }
    }
}

package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.service.ServerState;
import java.util.List;
import java.util.function.Predicate;

/**
 * Smooth weighted round robin, as nginx does it: each pick adds every eligible server's weight to
 * its running weight, takes the largest, and subtracts the total from the winner. Weights 5,1,1
 * give a,a,b,a,c,a,a rather than a,a,a,a,a,b,c; equal weights give plain round robin. A server
 * that is not eligible is skipped without disturbing the others' order. The running weights live
 * on {@link ServerState}, so the rotation continues where it was after a reload that keeps the
 * weights. A reload that changes a weight restarts it: running weights earned under the old weights
 * would favour one server for up to a whole old cycle (a canary moved from 90/10 to 50/50 would get
 * dozens of requests in a row), whereas the new proportions should hold from the first request.
 */
final class SmoothWeightedRoundRobin implements Selector {
    static final Strategy STRATEGY = Strategy.of("wrr", SmoothWeightedRoundRobin::new);

    private final ServerState[] servers;

    SmoothWeightedRoundRobin(List<ServerState> servers) {
        this.servers = servers.toArray(ServerState[]::new);
        if (servers.stream().anyMatch(ServerState::weightChanged)) {
            servers.forEach(ServerState::restartRotation);
        }
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        synchronized (servers) {
            return pick(servers, servers.length, eligible);
        }
    }

    /**
     * One smooth-WRR step over the first {@code n} of {@code candidates} that pass {@code eligible};
     * callers hold a lock. Also the tie-breaker of the least-* strategies, so that equal scores
     * still rotate in weight proportion.
     */
    static ServerState pick(ServerState[] candidates, int n, Predicate<ServerState> eligible) {
        ServerState best = null;
        long total = 0;
        for (int i = 0; i < n; i++) {
            ServerState s = candidates[i];
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

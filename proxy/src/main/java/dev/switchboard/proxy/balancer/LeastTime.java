package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.service.ServerState;
import java.util.List;
import java.util.function.Predicate;

/**
 * Least response time, Traefik's {@code leasttime}: the lowest
 * {@code averageResponseTime × (1 + requestsInFlight) / weight}, where the response time is the
 * time to the response headers averaged over the server's last 100 responses
 * ({@link ServerState#averageResponseNanos}). A server nobody has measured yet scores 0, so new
 * servers get tried; ties rotate by smooth weighted round robin.
 *
 * <p>Better than Traefik: a server's average fades (after 10 s without a response it halves every
 * further 10 s), so a server that was slow and has been avoided is tried again after a while
 * instead of never.
 */
final class LeastTime implements Selector {
    static final Strategy STRATEGY = Strategy.of("leasttime", LeastTime::new);

    private final ServerState[] servers;
    private final ServerState[] tied;

    LeastTime(List<ServerState> servers) {
        this.servers = servers.toArray(ServerState[]::new);
        this.tied = new ServerState[this.servers.length];
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        long now = System.nanoTime();
        synchronized (tied) {
            int n = 0;
            double best = Double.MAX_VALUE;
            for (ServerState s : servers) {
                if (!eligible.test(s)) {
                    continue;
                }
                double score = s.averageResponseNanos(now) * (1 + s.inFlight()) / Math.max(1, s.weight());
                if (score < best) {
                    best = score;
                    n = 0;
                }
                if (score == best) {
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

package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Least response time, Traefik's {@code leasttime}: the lowest
 * {@code averageResponseTime × (1 + requestsInFlight) / weight}, where the response time is the
 * time to the response headers averaged over the server's last 100 responses
 * ({@link ResponseTimes}, which this selector learns from {@link #responded}). A server nobody has
 * measured yet scores 0, so new servers get tried; ties rotate by smooth weighted round robin. A
 * selector built at a reload keeps what its predecessor learned about the servers both have.
 *
 * <p>Better than Traefik: a server's average fades (after 10 s without a response it halves every
 * further 10 s), so a server that was slow and has been avoided is tried again after a while
 * instead of never.
 */
final class LeastTime implements Selector, SmoothRotation.Rotating {
    static final Strategy STRATEGY = Strategy.of("leasttime", LeastTime::new);

    private final ServerState[] servers;
    private final Map<ServerState, ResponseTimes> times = new IdentityHashMap<>();
    private final int[] tied;
    private final SmoothRotation rotation;

    LeastTime(List<ServerState> servers, Selector previous) {
        this.servers = servers.toArray(ServerState[]::new);
        this.tied = new int[this.servers.length];
        this.rotation = new SmoothRotation(this.servers, SmoothRotation.of(previous));
        Map<ServerState, ResponseTimes> learned = previous instanceof LeastTime lt ? lt.times : Map.of();
        for (ServerState s : this.servers) {
            times.put(s, learned.getOrDefault(s, new ResponseTimes()));
        }
    }

    @Override
    public SmoothRotation rotation() {
        return rotation;
    }

    @Override
    public void responded(ServerState server, long nanos) {
        ResponseTimes t = times.get(server);
        if (t != null) {
            t.record(nanos);
        }
    }

    /** What this selector has learned of {@code server}'s response time at {@code nowNanos} (0 if nothing). */
    double averageResponseNanos(ServerState server, long nowNanos) {
        return times.get(server).average(nowNanos);
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        long now = System.nanoTime();
        synchronized (rotation) {
            int n = 0;
            double best = Double.MAX_VALUE;
            for (int i = 0; i < servers.length; i++) {
                ServerState s = servers[i];
                if (!eligible.test(s)) {
                    continue;
                }
                double score = times.get(s).average(now) * (1 + s.inFlight()) / Math.max(1, s.weight());
                if (score < best) {
                    best = score;
                    n = 0;
                }
                if (score == best) {
                    tied[n++] = i;
                }
            }
            return rotation.pickTied(tied, n);
        }
    }
}

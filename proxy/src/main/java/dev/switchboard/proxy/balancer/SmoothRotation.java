package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Smooth weighted round robin's running weights over a fixed list of servers, as nginx keeps them:
 * each step adds every eligible server's weight to its running weight, takes the largest, and
 * subtracts the total from the winner. Owned by one selector, which holds its lock around
 * {@link #pick}. Continued from the rotation of the previous configuration for the servers both
 * have, unless a weight changed: running weights earned under old weights would favour one server
 * for up to a whole old cycle (a canary moved from 90/10 to 50/50 would get dozens of requests in a
 * row), whereas new proportions should hold from the first request.
 */
final class SmoothRotation {
    private final ServerState[] servers;
    private final int[] weights;
    private final long[] current;

    SmoothRotation(ServerState[] servers, SmoothRotation previous) {
        this.servers = servers;
        this.weights = new int[servers.length];
        this.current = new long[servers.length];
        for (int i = 0; i < servers.length; i++) {
            weights[i] = servers[i].weight();
        }
        if (previous != null) {
            continueFrom(previous);
        }
    }

    private void continueFrom(SmoothRotation previous) {
        Map<ServerState, Integer> before = new IdentityHashMap<>();
        long[] running;
        synchronized (previous) {
            running = previous.current.clone();
        }
        for (int i = 0; i < previous.servers.length; i++) {
            before.put(previous.servers[i], i);
        }
        for (int i = 0; i < servers.length; i++) {
            Integer j = before.get(servers[i]);
            if (j != null && previous.weights[j] != weights[i]) {
                return; // a weight changed: the rotation starts afresh
            }
        }
        for (int i = 0; i < servers.length; i++) {
            Integer j = before.get(servers[i]);
            if (j != null) {
                current[i] = running[j];
            }
        }
    }

    /**
     * One step over the servers at {@code indexes[0..n)} that pass {@code eligible}; the caller
     * holds this object's lock. Returns the index of the winner, or -1.
     */
    int pick(int[] indexes, int n, Predicate<ServerState> eligible) {
        int best = -1;
        long total = 0;
        for (int k = 0; k < n; k++) {
            int i = indexes[k];
            if (!eligible.test(servers[i])) {
                continue;
            }
            current[i] += weights[i];
            total += weights[i];
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            current[best] -= total;
        }
        return best;
    }

    /**
     * Breaks a tie among the servers at {@code tied[0..n)} (all of them eligible) by one rotation
     * step, so that equal scores still rotate in weight proportion; the caller holds the lock.
     */
    ServerState pickTied(int[] tied, int n) {
        if (n <= 1) {
            return n == 0 ? null : servers[tied[0]];
        }
        return servers[pick(tied, n, s -> true)];
    }

    /** The rotation of {@code selector} if it keeps one (a selector of a strategy that rotates), else null. */
    static SmoothRotation of(Selector selector) {
        return selector instanceof Rotating r ? r.rotation() : null;
    }

    /** A selector that keeps a smooth rotation, which its successor continues. */
    interface Rotating {
        SmoothRotation rotation();
    }
}

package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.util.List;
import java.util.function.Predicate;

/**
 * Smooth weighted round robin, as nginx does it ({@link SmoothRotation}): weights 5,1,1 give
 * a,a,b,a,c,a,a rather than a,a,a,a,a,b,c; equal weights give plain round robin. A server that is
 * not eligible is skipped without disturbing the others' order. The rotation continues where it was
 * after a reload that keeps the weights, and restarts after one that changes them.
 */
final class SmoothWeightedRoundRobin implements Selector, SmoothRotation.Rotating {
    static final Strategy STRATEGY = Strategy.of("wrr", SmoothWeightedRoundRobin::new);

    private final ServerState[] servers;
    private final int[] all;
    private final SmoothRotation rotation;

    SmoothWeightedRoundRobin(List<ServerState> servers, Selector previous) {
        this.servers = servers.toArray(ServerState[]::new);
        this.all = new int[this.servers.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        this.rotation = new SmoothRotation(this.servers, SmoothRotation.of(previous));
    }

    @Override
    public SmoothRotation rotation() {
        return rotation;
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        int i;
        synchronized (rotation) {
            i = rotation.pick(all, all.length, eligible);
        }
        return i < 0 ? null : servers[i];
    }
}

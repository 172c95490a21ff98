package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Power of two random choices (Mitzenmacher), Traefik's {@code p2c}: draw two different eligible
 * servers at random and take the one with fewer requests in flight. Nearly as good as scanning for
 * the least loaded server, in constant time, and without the herd effect of every balancer picking
 * the same "least loaded" server at once. Weights are not used (as in Traefik), except that weight
 * 0 takes a server out.
 */
final class PowerOfTwoChoices implements Selector {
    static final Strategy STRATEGY = Strategy.of("p2c", (servers, previous) -> new PowerOfTwoChoices(servers));

    private final ServerState[] servers;

    PowerOfTwoChoices(List<ServerState> servers) {
        this.servers = servers.toArray(ServerState[]::new);
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        ServerState[] candidates = new ServerState[servers.length];
        int n = 0;
        for (ServerState s : servers) {
            if (eligible.test(s)) {
                candidates[n++] = s;
            }
        }
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return candidates[0];
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        int j = random.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        ServerState a = candidates[i];
        ServerState b = candidates[j];
        return b.inFlight() < a.inFlight() ? b : a;
    }
}

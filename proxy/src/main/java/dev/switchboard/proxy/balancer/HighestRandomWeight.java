package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.upstream.ServerState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Highest random weight (rendezvous hashing, Thaler and Ravishankar 1998), Traefik's {@code hrw}:
 * every server gets a score from a hash of the client's IP address and the server's URL, and the
 * highest score wins. The same client reaches the same server as long as that server is available;
 * when a server goes away only its own clients move (each to its second-best server), and a new
 * server takes only the clients it now scores highest for.
 *
 * <p>Weighted as Traefik does it: with {@code u} the hash mapped into (0, 1), the score is
 * {@code weight / -ln(u)}, which gives each server a share of clients proportional to its weight.
 * The hash is the first 64 bits of SHA-256 over client address and server URL: Traefik uses FNV-1a,
 * which spreads short, similar inputs (127.0.0.1, 127.0.0.2) poorly; SHA-256 is uniform and is in
 * every JDK.
 */
final class HighestRandomWeight implements Selector {
    static final Strategy STRATEGY = Strategy.of("hrw", (servers, previous) -> new HighestRandomWeight(servers));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private final ServerState[] servers;
    private final byte[][] serverKeys;

    HighestRandomWeight(List<ServerState> servers) {
        this.servers = servers.toArray(ServerState[]::new);
        this.serverKeys = new byte[this.servers.length][];
        for (int i = 0; i < this.servers.length; i++) {
            serverKeys[i] = ("\u0000" + this.servers[i].url()).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public ServerState select(String clientAddress, Predicate<ServerState> eligible) {
        byte[] client = (clientAddress == null ? "" : clientAddress).getBytes(StandardCharsets.UTF_8);
        ServerState best = null;
        double bestScore = -1;
        for (int i = 0; i < servers.length; i++) {
            ServerState s = servers[i];
            if (!eligible.test(s)) {
                continue;
            }
            double score = score(client, serverKeys[i], s.weight());
            if (score > bestScore) {
                bestScore = score;
                best = s;
            }
        }
        return best;
    }

    /** {@code weight / -ln(u)} with {@code u} in (0, 1) from the pair's hash. */
    static double score(byte[] client, byte[] serverKey, int weight) {
        MessageDigest sha = SHA256.get();
        sha.update(client);
        byte[] digest = sha.digest(serverKey);
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (digest[i] & 0xffL);
        }
        double u = ((h >>> 11) + 0.5) / 0x1p53;
        return weight / -Math.log(u);
    }
}

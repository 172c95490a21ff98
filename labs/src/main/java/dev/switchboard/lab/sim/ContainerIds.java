package dev.switchboard.lab.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Container ids shaped like Docker's: 64 hex digits, unique per container instance. */
final class ContainerIds {
    private static final AtomicLong COUNTER = new AtomicLong(System.nanoTime());

    private ContainerIds() {
    }

    static String next(String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((name + "/" + COUNTER.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.switchboard.lab.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Loopback addresses for simulated containers, as Docker gives each container its own IP on the
 * compose network: the replica {@code r} of the {@code s}-th service gets {@code 127.<block>.<s>.<r>}.
 * Each running topology takes a block of its own (a lock file per block), so parallel labs and
 * gradings never see each other's containers. Linux routes all of 127.0.0.0/8 to the loopback
 * interface; elsewhere the plan reports that only 127.0.0.1 exists.
 */
public final class AddressPlan implements AutoCloseable {
    private static final int FIRST_BLOCK = 10;
    private static final int LAST_BLOCK = 250;

    private final int block;
    private final FileChannel channel;
    private final FileLock lock;

    private AddressPlan(int block, FileChannel channel, FileLock lock) {
        this.block = block;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the first free block. */
    public static AddressPlan allocate() {
        requireLoopbackRange();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int b = FIRST_BLOCK; b <= LAST_BLOCK; b++) {
            Path lockFile = dir.resolve("switchboard-lab-block-" + b + ".lock");
            try {
                FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock();
                if (l != null) {
                    return new AddressPlan(b, ch, l);
                }
                ch.close();
            } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
                // taken by this JVM or unusable: try the next block
            }
        }
        throw new IllegalStateException("no free loopback address block: too many topologies are running");
    }

    private static void requireLoopbackRange() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.255.254"), 0));
        } catch (IOException e) {
            throw new IllegalStateException("this machine's loopback interface has only 127.0.0.1 (macOS does this): "
                    + "the simulated topology gives each container an address 127.x.y.z. Add aliases "
                    + "(sudo ifconfig lo0 alias 127.0.255.254 up, and one per container) or run the lab with --docker");
        }
    }

    public int block() {
        return block;
    }

    /** The address of replica {@code replica} (from 1) of the {@code serviceIndex}-th service (from 1). */
    public InetAddress address(int serviceIndex, int replica) {
        if (serviceIndex < 1 || serviceIndex > 254 || replica < 1 || replica > 254) {
            throw new IllegalArgumentException("service " + serviceIndex + " replica " + replica + " out of range");
        }
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) block, (byte) serviceIndex, (byte) replica});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An address of this block where no container listens ({@code 127.<block>.0.<replica>}: service
     * indexes start at 1): connections to it are refused, as a container on a network the caller is
     * not on cannot be reached.
     */
    public InetAddress unreachable(int replica) {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) block, 0, (byte) Math.max(1, Math.min(254, replica))});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // released when the process ends anyway
        }
    }

    /** Whether this process may bind ports below 1024 (root on Linux; Linux's default unprivileged start is 1024). */
    public static boolean canBindPrivilegedPorts() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.255.253"), 1));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}

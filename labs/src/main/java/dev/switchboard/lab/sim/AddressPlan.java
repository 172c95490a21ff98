package dev.switchboard.lab.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Predicate;

/**
 * Loopback addresses for simulated containers, as Docker gives each container its own IP on the
 * compose network. Each running topology takes a block of its own (a lock file per block in the
 * temporary folder, released when its process ends, even by a crash), so parallel labs and
 * gradings never see each other's containers. Two layouts:
 *
 * <ul>
 * <li>{@link Layout#RANGE} (Linux, Windows: all of 127.0.0.0/8 answers): replica {@code r} of the
 *     {@code s}-th service is {@code 127.<block>.<s>.<r>}, blocks 10 to 250;</li>
 * <li>{@link Layout#ALIASES} (macOS: only 127.0.0.1 answers until aliases are added once, by
 *     {@code sudo ./lab setup}): {@code 127.254.<block>.<16 s + r>}, blocks 1 to
 *     {@link LoopbackAliases#BLOCKS}, 254 addresses each: 15 services of up to 15 replicas.</li>
 * </ul>
 */
public final class AddressPlan implements AutoCloseable {
    /** How addresses are laid out. */
    public enum Layout {
        RANGE, ALIASES
    }

    private final Layout layout;
    private final int block;
    private final FileChannel channel;
    private final FileLock lock;

    private AddressPlan(Layout layout, int block, FileChannel channel, FileLock lock) {
        this.layout = layout;
        this.block = block;
        this.channel = channel;
        this.lock = lock;
    }

    /** The layout of {@code platform}. */
    public static Layout layoutOf(Platform platform) {
        return platform == Platform.MACOS ? Layout.ALIASES : Layout.RANGE;
    }

    /** Takes the first free block of this platform's layout. */
    public static AddressPlan allocate() {
        return allocate(layoutOf(Platform.current()), AddressPlan::bindable);
    }

    /** Takes the first free block of {@code layout}; {@code answers} says whether an address is on this machine. */
    static AddressPlan allocate(Layout layout, Predicate<InetAddress> answers) {
        requireAddresses(layout, answers);
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        int first = layout == Layout.RANGE ? 10 : 1;
        int last = layout == Layout.RANGE ? 250 : LoopbackAliases.BLOCKS;
        for (int b = first; b <= last; b++) {
            if (layout == Layout.ALIASES && !answers.test(aliased(b, 1))) {
                continue; // not set up
            }
            Path lockFile = dir.resolve("switchboard-lab-" + (layout == Layout.RANGE ? "" : "aliases-") + "block-" + b + ".lock");
            try {
                FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                shareWithOtherUsers(lockFile);
                FileLock l = ch.tryLock();
                if (l != null) {
                    return new AddressPlan(layout, b, ch, l);
                }
                ch.close();
            } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
                // taken by this JVM or unusable (another user's file): try the next block
            }
        }
        throw new IllegalStateException("no free loopback address block: too many topologies are running"
                + (layout == Layout.ALIASES ? " (each takes one of the " + LoopbackAliases.BLOCKS + " blocks sudo ./lab setup adds)" : ""));
    }

    /**
     * Says, before anything starts, why this machine cannot give containers addresses of their own, and
     * the one command that fixes it; nothing when it can.
     */
    public static void requireAddresses(Layout layout, Predicate<InetAddress> answers) {
        if (layout == Layout.RANGE) {
            if (!answers.test(address(new byte[] {127, 0, (byte) 255, (byte) 254}))) {
                throw new IllegalStateException("this machine's loopback interface answers only on 127.0.0.1, but the "
                        + "simulated topology gives each container an address of its own (127.x.y.z). Run the lab with "
                        + "--docker, or add the loopback range to the interface");
            }
            return;
        }
        if (!answers.test(aliased(1, 1)) || !answers.test(aliased(1, 254))) {
            throw new IllegalStateException(LoopbackAliases.missingMessage());
        }
    }

    /** Whether this machine has {@code address}: something may listen there. */
    public static boolean bindable(InetAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Lock files are shared by every user of the machine: a lab of another user must be able to try the block too. */
    private static void shareWithOtherUsers(Path lockFile) {
        try {
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | UnsupportedOperationException e) {
            // not the owner, or not POSIX: the file stays as it is
        }
    }

    public Layout layout() {
        return layout;
    }

    public int block() {
        return block;
    }

    /** The address of replica {@code replica} (from 1) of the {@code serviceIndex}-th service (from 1). */
    public InetAddress address(int serviceIndex, int replica) {
        if (layout == Layout.RANGE) {
            if (serviceIndex < 1 || serviceIndex > 254 || replica < 1 || replica > 254) {
                throw new IllegalArgumentException("service " + serviceIndex + " replica " + replica + " out of range");
            }
            return address(new byte[] {127, (byte) block, (byte) serviceIndex, (byte) replica});
        }
        if (serviceIndex < 1 || serviceIndex > 15 || replica < 1 || replica > 15 || serviceIndex * 16 + replica > 254) {
            throw new IllegalArgumentException("the macOS address plan has room for 15 services of up to 15 replicas each "
                    + "(service " + serviceIndex + ", replica " + replica + " asked): scale to 15 replicas or fewer");
        }
        return aliased(block, serviceIndex * 16 + replica);
    }

    /**
     * Where the program of a container frozen at its ports ({@link PortGate}) listens instead of its
     * own address: {@code 127.<block>.<128 + s>.<r>}.
     */
    public InetAddress inner(int serviceIndex, int replica) {
        if (layout != Layout.RANGE || serviceIndex > 126) {
            throw new IllegalArgumentException("no inner address for service " + serviceIndex + " in the " + layout + " layout");
        }
        return address(new byte[] {127, (byte) block, (byte) (128 + serviceIndex), (byte) replica});
    }

    /**
     * An address of this block where no container listens: connections to it are refused, as a
     * container on a network the caller is not on cannot be reached.
     */
    public InetAddress unreachable(int replica) {
        int r = Math.max(1, Math.min(layout == Layout.RANGE ? 254 : 15, replica));
        return layout == Layout.RANGE ? address(new byte[] {127, (byte) block, 0, (byte) r}) : aliased(block, r);
    }

    /** For {@code lab up}: how containers are addressed. */
    public String describe() {
        return layout == Layout.RANGE ? "each container has its own address 127." + block + ".x.y"
                : "each container has its own address 127.254." + block + ".x, one of the loopback aliases of sudo ./lab setup";
    }

    /** Whether this process may bind ports below 1024 on the containers' addresses (root on Linux and macOS). */
    public boolean privilegedPorts() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(unreachable(254), 1));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static InetAddress aliased(int block, int n) {
        return address(new byte[] {127, (byte) 254, (byte) block, (byte) n});
    }

    private static InetAddress address(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
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
}

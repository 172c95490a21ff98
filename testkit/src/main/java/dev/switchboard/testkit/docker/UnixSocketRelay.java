package dev.switchboard.testkit.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves a Unix socket by relaying each connection, byte for byte, to a TCP address: the emulator's
 * HTTP server listens on TCP (Jetty's connectors need a TCP channel) and clients may reach it on
 * the socket path, as they reach dockerd on {@code /var/run/docker.sock}. Half-closes are passed
 * on, so a response that ends the connection ends it on the socket too.
 */
final class UnixSocketRelay implements AutoCloseable {
    private final Path socket;
    private final InetSocketAddress target;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    UnixSocketRelay(Path socket, InetSocketAddress target) throws IOException {
        this.socket = socket;
        this.target = target;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::accept, "docker-emulator-unix-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (running) {
            try {
                SocketChannel client = server.accept();
                SocketChannel upstream;
                try {
                    upstream = SocketChannel.open(target);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                Pair pair = new Pair(client, upstream);
                start(() -> pair.pump(client, upstream), "docker-emulator-unix-in");
                start(() -> pair.pump(upstream, client), "docker-emulator-unix-out");
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private static void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One relayed connection; closed when both directions have ended or either breaks. */
    private final class Pair {
        private final SocketChannel a;
        private final SocketChannel b;
        private int ended;

        Pair(SocketChannel a, SocketChannel b) {
            this.a = a;
            this.b = b;
        }

        void pump(SocketChannel from, SocketChannel to) {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                to.shutdownOutput();
                synchronized (this) {
                    if (++ended < 2) {
                        return;
                    }
                }
            } catch (IOException e) {
                // broken: close both sides below
            }
            closeBoth();
        }

        private void closeBoth() {
            for (SocketChannel c : new SocketChannel[] {a, b}) {
                open.remove(c);
                try {
                    c.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        server.close();
        for (SocketChannel c : open) {
            c.close();
        }
        Files.deleteIfExists(socket);
    }
}

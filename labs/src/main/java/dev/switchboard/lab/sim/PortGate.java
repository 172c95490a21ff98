package dev.switchboard.lab.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A container frozen at its ports, where no signal can freeze its process (Windows): the program
 * listens on an inner address, and the container's own address relays every port to it. Frozen,
 * the relays still accept connections (as the kernel does for a paused container) but pass no byte
 * in either direction, so requests in flight and new ones hang until thawed; connections the
 * program drops or resets are dropped or reset for the client too.
 */
public final class PortGate implements Freezer, AutoCloseable {
    private final List<ServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile boolean frozen;

    /** Relays {@code outer} (the container's address and port) to {@code inner} (where its program listens). */
    public void relay(InetSocketAddress outer, InetSocketAddress inner) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(outer, 512);
        listeners.add(server);
        Thread acceptor = new Thread(() -> accept(server, inner), "gate-" + outer);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket server, InetSocketAddress inner) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> connect(client, inner), "gate-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client, InetSocketAddress inner) {
        open.add(client);
        awaitThawed();
        Socket upstream = new Socket();
        try {
            upstream.connect(inner, 5000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            open.add(upstream);
            Thread back = new Thread(() -> pump(upstream, client), "gate-back");
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
        } catch (IOException e) {
            reset(client); // nothing listens behind the gate: refused, as the container's port would be
            close(upstream);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitThawed();
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            reset(to);
            close(from);
        }
    }

    private void awaitThawed() {
        synchronized (lock) {
            while (frozen) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Frozen at the ports: whatever {@code process} is, nothing reaches it or comes back from it. */
    @Override
    public void freeze(Process process) {
        frozen = true;
    }

    @Override
    public void thaw(Process process) {
        synchronized (lock) {
            frozen = false;
            lock.notifyAll();
        }
    }

    /** A connection reset (RST), as a killed program's connections are. */
    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
        close(s);
    }

    private void close(java.io.Closeable c) {
        open.remove(c);
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Stops listening and resets every connection: the container is gone. */
    @Override
    public void close() {
        thaw(null);
        listeners.forEach(this::close);
        listeners.clear();
        open.forEach(this::reset);
    }
}

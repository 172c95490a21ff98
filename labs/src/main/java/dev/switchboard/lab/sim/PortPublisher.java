package dev.switchboard.lab.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A published port, as Docker's userland proxy does it: accepts on a host address and relays each
 * connection, byte for byte in both directions, to a container address. A target that refuses or
 * is gone closes the client's connection, as with Docker.
 */
public final class PortPublisher implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    public PortPublisher(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 512);
        this.acceptor = new Thread(this::accept, "publish-" + listen.getPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress target() {
        return target;
    }

    private void accept() {
        acceptEach(server, client -> "relay-" + server.getLocalPort(), this::relay);
    }

    /** Accepts on {@code server} until it closes, each connection handled on a daemon thread of its own. */
    static void acceptEach(ServerSocket server, Function<Socket, String> threadName, Consumer<Socket> handler) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> handler.accept(client), threadName.apply(client));
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(Socket client) {
        open.add(client);
        try (Socket upstream = new Socket()) {
            upstream.connect(target, 5000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            open.add(upstream);
            Thread back = new Thread(() -> pump(upstream, client), "relay-back-" + server.getLocalPort());
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the container is not there: the client sees its connection closed
        } finally {
            close(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            close(to);
        } catch (IOException e) {
            close(to);
        } finally {
            open.remove(from);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        open.forEach(this::close);
    }
}

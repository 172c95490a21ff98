package dev.switchboard.testkit;

import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A tiny backend for demos, like the {@code traefik/whoami} image: it answers every request with
 * its name, the request line and the headers it received, so you can see which server answered and
 * what the proxy changed. {@code GET /health} answers {@code OK}.
 *
 * <pre>java -cp switchboard-lab.jar dev.switchboard.testkit.Whoami --name=whoami-1 --address=127.0.0.1:8081</pre>
 *
 * <p>Part of the test kit (module {@code testkit}), not of the proxy: the labs run it for
 * {@code traefik/whoami} containers of the simulated topology.
 */
public final class Whoami {
    private Whoami() {
    }

    public static void main(String[] args) throws Exception {
        String name = "whoami";
        String address = ":8081";
        for (String arg : args) {
            if (arg.startsWith("--name=")) {
                name = arg.substring(7);
            } else if (arg.startsWith("--address=")) {
                address = arg.substring(10);
            } else {
                System.err.println("usage: Whoami [--name=NAME] [--address=HOST:PORT]");
                System.exit(2);
            }
        }
        Server server = start(name, address(address));
        System.out.println(name + " listening on " + address);
        server.join();
    }

    /** {@code HOST:PORT} or {@code :PORT} (every interface), {@code [::1]:PORT} for IPv6. */
    static InetSocketAddress address(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--address=" + address + " has no port: write it as :8081 or 127.0.0.1:8081");
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        return host.isEmpty() ? new InetSocketAddress(port) : InetSocketAddress.createUnresolved(host, port);
    }

    /** Starts a whoami server; the caller stops it. */
    public static Server start(String name, InetSocketAddress address) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(address.isUnresolved() ? address.getHostString() : null);
        connector.setPort(address.getPort());
        server.addConnector(connector);
        AtomicLong served = new AtomicLong();
        // In a container (and in the simulated topology) HOSTNAME is the container's id, as traefik/whoami shows it.
        String env = System.getenv("HOSTNAME");
        String hostname = env != null && !env.isBlank() ? env : InetAddress.getLocalHost().getHostName();
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                StringBuilder body = new StringBuilder();
                if ("/health".equals(request.getHttpURI().getPath())) {
                    body.append("OK\n");
                } else {
                    body.append("Name: ").append(name).append('\n')
                            .append("Hostname: ").append(hostname).append('\n')
                            .append("Served: ").append(served.incrementAndGet()).append('\n')
                            .append("RemoteAddr: ").append(Request.getRemoteAddr(request)).append(':')
                            .append(Request.getRemotePort(request)).append('\n')
                            .append(request.getMethod()).append(' ').append(request.getHttpURI().getPathQuery()).append(' ')
                            .append(request.getConnectionMetaData().getProtocol()).append('\n');
                    for (HttpField f : request.getHeaders()) {
                        body.append(f.getName()).append(": ").append(f.getValue()).append('\n');
                    }
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.getHeaders().put("X-Instance", name);
                response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        return server;
    }
}

package dev.switchboard.proxy.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty server on an ephemeral loopback port that answers with its name and remembers every
 * request it saw, so tests assert on what the backend received through the proxy.
 */
public final class Backend implements AutoCloseable {

    /** What the backend saw of one request. */
    public record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return String.join(", ", e.getValue());
                }
            }
            return null;
        }
    }

    /** How the backend answers; the default is 200 with its name. */
    @FunctionalInterface
    public interface Behaviour {
        void respond(Backend backend, Request request, Response response, Callback callback) throws Exception;
    }

    private final String name;
    private final Server server;
    private final ServerConnector connector;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Backend::answerName);

    public Backend(String name) throws Exception {
        this(name, "127.0.0.1");
    }

    public Backend(String name, String host) throws Exception {
        this(name, host, 0);
    }

    /**
     * A backend on a given address and port: as a container listening on its own IP would be, or
     * to bring back a server on the port of one that was stopped.
     */
    public Backend(String name, String host, int port) throws Exception {
        this.name = name;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("backend-" + name);
        server = new Server(threads);
        // Like a Go backend (traefik/whoami), take any request target the proxy may send, so that tests
        // see what was forwarded rather than the backend's own refusal.
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE);
        connector = new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = org.eclipse.jetty.io.Content.Source.asString(request, StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
                for (HttpField f : request.getHeaders()) {
                    headers.computeIfAbsent(f.getName(), k -> new java.util.ArrayList<>()).add(f.getValue());
                }
                seen.add(new Seen(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                        headers, body));
                count.incrementAndGet();
                behaviour.get().respond(Backend.this, request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            server.stop(); // e.g. the port is taken: release the threads
            throw e;
        }
    }

    private static void answerName(Backend backend, Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
        response.write(true, ByteBuffer.wrap(backend.name.getBytes(StandardCharsets.UTF_8)), callback);
    }

    public Backend behave(Behaviour b) {
        behaviour.set(b);
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String url() {
        return "http://" + connector.getHost() + ":" + port();
    }

    public int count() {
        return count.get();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public Seen last() {
        List<Seen> all = seen();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public void reset() {
        seen.clear();
        count.set(0);
    }

    /**
     * Dies like a killed process: the listening socket and every open connection close at once,
     * requests in flight get no answer, and the port refuses connections afterwards.
     */
    public void kill() throws Exception {
        connector.close();
        for (org.eclipse.jetty.io.EndPoint endPoint : connector.getConnectedEndPoints()) {
            endPoint.close();
        }
        server.stop();
    }

    /** Stops abruptly: the port refuses connections afterwards. */
    @Override
    public void close() throws Exception {
        server.stop();
    }
}

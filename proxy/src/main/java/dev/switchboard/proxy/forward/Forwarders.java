package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.config.dynamic.ServersTransport;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Forwarder} (so one HTTP client, with its own connection pool) per servers transport,
 * as Traefik v3.2 keeps one round tripper per {@code serversTransport} ({@code TransportManager}).
 * The static {@code serversTransport} is {@code default@internal}, used by services that name none;
 * it lives as long as the proxy. A named transport's forwarder is built when a configuration first
 * uses it and kept across reloads while its options are equal; a configuration holds a
 * {@link Lease} on each forwarder it uses and releases it when it is replaced. A forwarder that is
 * no longer the current one for its name (its options changed, or the transport was removed) is
 * stopped once the last configuration using it is released and the requests in flight on it have
 * finished, upgraded connections (WebSockets) included (at most {@link #DRAIN_LIMIT}).
 */
public final class Forwarders extends ContainerLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarders.class);
    /** The name Traefik gives the static {@code serversTransport}. */
    public static final String DEFAULT = "default@internal";
    /** Traefik's default {@code maxIdleConnsPerHost} of the static transport ({@code cmd/configuration.go}). */
    public static final int STATIC_MAX_IDLE_CONNS_PER_HOST = 200;
    /**
     * The longest a retired forwarder waits for what is in flight on it (long downloads, WebSocket
     * sessions) before it is stopped: a guard against leaking its client, not a timeout of Traefik's
     * (Go lets a dropped transport's connections live on).
     */
    public static final Duration DRAIN_LIMIT = Duration.ofHours(1);
    private static final long DRAIN_POLL_MILLIS = 200;

    private final Server server;
    private final ServersTransport staticTransport;
    private final int maxRequestHeadBytes;
    private final Forwarder defaultForwarder;
    private final Map<String, Entry> current = new HashMap<>();
    /** Retired forwarders waiting for their requests in flight; stopped with the proxy if still there. */
    private final java.util.Set<Entry> draining = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService drainer;

    /**
     * @param maxRequestHeadBytes the largest request head the forwarders send on
     *                            ({@link Forwarder#setMaxRequestHeadBytes})
     */
    public Forwarders(Server server, ServersTransport staticTransport, int maxRequestHeadBytes) {
        this.server = server;
        this.maxRequestHeadBytes = maxRequestHeadBytes;
        this.staticTransport = staticTransport.maxIdleConnsPerHost() != null ? staticTransport
                : new ServersTransport(staticTransport.serverName(), staticTransport.insecureSkipVerify(),
                        staticTransport.rootCAs(), STATIC_MAX_IDLE_CONNS_PER_HOST,
                        staticTransport.forwardingTimeouts(), staticTransport.disableHTTP2());
        this.defaultForwarder = newForwarder(this.staticTransport);
        addBean(defaultForwarder, true);
    }

    /** The static transport's forwarder ({@code default@internal}). */
    public Forwarder defaultForwarder() {
        return defaultForwarder;
    }

    /** The static {@code serversTransport} with Traefik's defaults applied. */
    public ServersTransport staticTransport() {
        return staticTransport;
    }

    /**
     * The forwarder of transport {@code name} (qualified) with options {@code options}: the current
     * one if its options are equal, else a new, started one that becomes current. The caller
     * releases the lease when the configuration that uses it is replaced.
     */
    public synchronized Lease acquire(String name, ServersTransport options) {
        if (name == null || DEFAULT.equals(name)) {
            return new Lease(null);
        }
        Entry entry = current.get(name);
        if (entry == null || !entry.options.equals(options)) {
            Entry fresh = new Entry(name, options, newForwarder(options));
            try {
                fresh.forwarder.start();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the HTTP client of serversTransport " + name, e);
            }
            if (entry != null) {
                retire(entry);
            }
            current.put(name, fresh);
            entry = fresh;
            LOG.debug("serversTransport {}: new HTTP client", name);
        }
        entry.leases++;
        return new Lease(entry);
    }

    /** How many named transports have a forwarder now (for tests and the dump). */
    public synchronized int size() {
        return current.size();
    }

    private Forwarder newForwarder(ServersTransport options) {
        Forwarder forwarder = new Forwarder(options);
        forwarder.setMaxRequestHeadBytes(maxRequestHeadBytes);
        forwarder.setServer(server);
        return forwarder;
    }

    private synchronized void release(Entry entry) {
        entry.leases--;
        if (entry.leases == 0 && current.get(entry.name) == entry) {
            // No configuration uses it any more: the next one that does builds it again.
            current.remove(entry.name);
            retire(entry);
        } else if (entry.leases == 0 && entry.retired) {
            drain(entry);
        }
    }

    private void retire(Entry entry) {
        entry.retired = true;
        if (entry.leases == 0) {
            drain(entry);
        }
    }

    /** Stops a forwarder once nothing is in flight on it: requests sent before the swap finish. */
    private void drain(Entry entry) {
        draining.add(entry);
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        ScheduledExecutorService executor = drainer();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            if (inFlight(entry.forwarder.getHttpClient()) > 0 && System.nanoTime() < deadline) {
                executor.schedule(poll[0], DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            stop(entry);
        };
        executor.execute(poll[0]);
    }

    private void stop(Entry entry) {
        draining.remove(entry);
        try {
            entry.forwarder.stop();
            LOG.debug("serversTransport {}: old HTTP client stopped", entry.name);
        } catch (Exception e) {
            LOG.warn("stopping the old HTTP client of serversTransport {} failed: {}", entry.name, e.toString());
        }
    }

    /**
     * What is still in use on {@code client}: requests queued, plus its open connections that are
     * not idle in a pool (exchanges under way, connections being made, and upgraded ones such as
     * WebSockets, which have left the pool but still run on the client's selectors).
     */
    static int inFlight(HttpClient client) {
        if (client == null || !client.isRunning()) {
            return 0;
        }
        int idle = 0;
        int queued = 0;
        for (var destination : client.getDestinations()) {
            if (destination.getConnectionPool() instanceof AbstractConnectionPool pool) {
                idle += pool.getIdleConnectionCount();
            }
            if (destination instanceof org.eclipse.jetty.client.transport.HttpDestination d) {
                queued += d.getQueuedRequestCount();
            }
        }
        int open = 0;
        for (ManagedSelector selector : client.getContainedBeans(ManagedSelector.class)) {
            open += selector.size();
        }
        return queued + Math.max(0, open - idle);
    }

    private synchronized ScheduledExecutorService drainer() {
        if (drainer == null) {
            drainer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "switchboard-transport-drain");
                t.setDaemon(true);
                return t;
            });
        }
        return drainer;
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            for (Entry entry : current.values()) {
                stop(entry);
            }
            current.clear();
            for (Entry entry : List.copyOf(draining)) {
                stop(entry);
            }
            if (drainer != null) {
                drainer.shutdownNow();
                drainer = null;
            }
        }
        super.doStop();
    }

    private static final class Entry {
        final String name;
        final ServersTransport options;
        final Forwarder forwarder;
        int leases;
        boolean retired;

        Entry(String name, ServersTransport options, Forwarder forwarder) {
            this.name = name;
            this.options = options;
            this.forwarder = forwarder;
        }
    }

    /** One configuration's use of one transport's forwarder; closing it gives the use up. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public Forwarder forwarder() {
            return entry == null ? defaultForwarder : entry.forwarder;
        }

        @Override
        public void close() {
            if (entry == null) {
                return;
            }
            synchronized (Forwarders.this) {
                if (closed) {
                    return;
                }
                closed = true;
                release(entry);
            }
        }
    }
}

package dev.switchboard.proxy.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP/1.1 connections of an entry point, with two behaviours of Go's {@code net/http} server
 * that Traefik v3.2 has and Jetty's connections lack:
 *
 * <ul>
 *   <li><b>{@code respondingTimeouts.readTimeout} for the request head.</b> Go sets a read deadline
 *       when it starts reading a request (at accept for the first, when the first bytes of the next
 *       one arrive on a kept-alive connection) and closes the connection, without an answer, if
 *       the request line and headers are not complete by then. Jetty only has an idle timeout,
 *       which a client sending one byte every few seconds never trips. The same deadline covers
 *       the body ({@link #readDeadline}, applied by {@link ClientBody}).
 *   <li><b>{@code Upgrade} without {@code Connection: upgrade}</b> is an ordinary header for Go (and
 *       a hop-by-hop one, so Traefik drops it before forwarding); Jetty answers 400 ("Invalid h2c
 *       upgrade headers"). Such a header reaches the pipeline as a plain header instead.
 * </ul>
 */
final class EntryPointConnectionFactory extends HttpConnectionFactory {
    private final long readTimeoutNanos;

    /** {@code readTimeout}: zero for none, as in Traefik. */
    EntryPointConnectionFactory(HttpConfiguration http, Duration readTimeout) {
        super(http);
        this.readTimeoutNanos = readTimeout == null || readTimeout.isNegative() ? 0 : readTimeout.toNanos();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        EntryPointConnection connection = new EntryPointConnection(getHttpConfiguration(), connector, endPoint, readTimeoutNanos);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /**
     * When ({@link System#nanoTime()}) the request being handled must have been read entirely, by
     * Go's rule; 0 when no readTimeout applies. For a request that did not come in on one of these
     * connections (HTTP/2), the deadline runs from now.
     */
    static long readDeadline(Request request, Duration readTimeout) {
        if (readTimeout == null || readTimeout.isZero() || readTimeout.isNegative()) {
            return 0;
        }
        if (request.getConnectionMetaData().getConnection() instanceof EntryPointConnection c) {
            return c.requestStart + readTimeout.toNanos();
        }
        return NanoTime.now() + readTimeout.toNanos();
    }

    static final class EntryPointConnection extends HttpConnection {
        private final long readTimeoutNanos;
        private final Scheduler scheduler;
        /** When the request now being read started (Go's {@code t0}). */
        volatile long requestStart = NanoTime.now();
        private boolean awaitingHeaders;
        private long generation;
        private Scheduler.Task headerTimer;

        EntryPointConnection(HttpConfiguration config, Connector connector, EndPoint endPoint, long readTimeoutNanos) {
            super(config, connector, endPoint);
            this.readTimeoutNanos = readTimeoutNanos;
            this.scheduler = connector.getScheduler();
        }

        @Override
        public void onOpen() {
            requestStarts(); // the first request's time runs from the accept, as in Go
            super.onOpen();
        }

        @Override
        public void onClose(Throwable cause) {
            headersDone();
            super.onClose(cause);
        }

        private synchronized void requestStarts() {
            requestStart = NanoTime.now();
            awaitingHeaders = true;
            long current = ++generation;
            if (readTimeoutNanos > 0) {
                headerTimer = scheduler.schedule(() -> headersTooSlow(current), readTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        private synchronized void headersDone() {
            awaitingHeaders = false;
            if (headerTimer != null) {
                headerTimer.cancel();
                headerTimer = null;
            }
        }

        private void headersTooSlow(long expected) {
            synchronized (this) {
                if (!awaitingHeaders || generation != expected) {
                    return;
                }
                awaitingHeaders = false;
            }
            // Go does not answer a request whose head did not arrive in time: it closes the connection.
            getEndPoint().close(new TimeoutException("request line and headers not received within readTimeout"));
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new EntryPointRequestHandler();
        }

        private final class EntryPointRequestHandler extends RequestHandler {
            private final List<HttpField> upgrades = new ArrayList<>();
            private boolean connectionUpgrade;

            @Override
            public void messageBegin() {
                super.messageBegin();
                boolean next;
                synchronized (EntryPointConnection.this) {
                    next = !awaitingHeaders && !isRequestBufferEmpty();
                }
                if (next) {
                    requestStarts(); // a kept-alive connection: the time runs from the first bytes of this request
                }
            }

            @Override
            public void parsedHeader(HttpField field) {
                if (field.getHeader() == HttpHeader.UPGRADE) {
                    upgrades.add(field); // decided at the end of the headers, once Connection is known
                    return;
                }
                if (field.getHeader() == HttpHeader.CONNECTION) {
                    for (String token : field.getValue().split(",")) {
                        connectionUpgrade |= token.trim().toLowerCase(Locale.ROOT).equals("upgrade");
                    }
                }
                super.parsedHeader(field);
            }

            @Override
            public boolean headerComplete() {
                for (HttpField upgrade : upgrades) {
                    // With Connection: upgrade it is an upgrade request (WebSocket); without, a plain header.
                    super.parsedHeader(connectionUpgrade ? upgrade : new HttpField(null, upgrade.getName(), upgrade.getValue()));
                }
                upgrades.clear();
                connectionUpgrade = false;
                headersDone();
                return super.headerComplete();
            }
        }
    }
}

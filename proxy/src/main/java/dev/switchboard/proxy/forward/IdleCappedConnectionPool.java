package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.config.dynamic.ServersTransport;
import org.eclipse.jetty.client.Connection;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.DuplexConnectionPool;
import org.eclipse.jetty.client.HttpClient;

/**
 * A connection pool that keeps at most {@code maxIdle} idle connections per server, as Go's
 * {@code http.Transport.MaxIdleConnsPerHost} does for Traefik: a connection released while that
 * many are idle already is closed, and with a negative value no connection is kept alive. Go's
 * rule for zero (unset) is its {@code DefaultMaxIdleConnsPerHost}, 2. The number of connections
 * in use at once is not limited by it (Go has no such limit either; Jetty's cap is
 * {@link #MAX_CONNECTIONS} or {@code maxIdle} if larger).
 */
final class IdleCappedConnectionPool extends DuplexConnectionPool {
    /** Go's {@code http.DefaultMaxIdleConnsPerHost}, used when {@code maxIdleConnsPerHost} is 0 or unset. */
    static final int GO_DEFAULT_MAX_IDLE = 2;
    static final int MAX_CONNECTIONS = 256;

    private final int maxIdle;

    IdleCappedConnectionPool(Destination destination, int maxConnections, int maxIdle) {
        super(destination, maxConnections);
        this.maxIdle = maxIdle;
    }

    /** Gives {@code client} pools that follow {@code transport}'s {@code maxIdleConnsPerHost}. */
    static void configure(HttpClient client, ServersTransport transport) {
        Integer configured = transport.maxIdleConnsPerHost();
        int maxIdle = configured == null || configured == 0 ? GO_DEFAULT_MAX_IDLE : configured;
        int maxConnections = Math.max(maxIdle, MAX_CONNECTIONS);
        client.setMaxConnectionsPerDestination(maxConnections);
        client.getHttpClientTransport().setConnectionPoolFactory(
                destination -> new IdleCappedConnectionPool(destination, maxConnections, maxIdle));
    }

    /** False (the destination then closes the connection) when no more idle connections are kept. */
    @Override
    public boolean release(Connection connection) {
        if (maxIdle < 0 || getIdleConnectionCount() >= maxIdle) {
            return false;
        }
        return super.release(connection);
    }
}

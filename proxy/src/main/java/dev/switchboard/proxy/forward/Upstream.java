package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.upstream.RetryableStatus;
import dev.switchboard.proxy.upstream.ServerState;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One attempt to send a request to one server: where, how, and who hears the outcome. The balancer
 * makes one per attempt and hands it to the {@link Forwarder}.
 *
 * @param server                the server's runtime state (in-flight count, health)
 * @param base                  the server URL
 * @param preservePath          whether the server URL's path is prefixed to the request path
 * @param passHostHeader        whether the client's Host header is sent (else the server's)
 * @param responseHeaderTimeout how long to wait for response headers once the request is sent; zero for no limit
 * @param abandonable           whether the attempt gives up waiting when its server is found down
 *                              ({@link ServerState#abandonWaiting}), because the request can go elsewhere
 * @param outcome               told when the attempt fails or completes
 */
public record Upstream(ServerState server, URI base, boolean preservePath, boolean passHostHeader,
        Duration responseHeaderTimeout, boolean abandonable, Outcome outcome) {

    /** Hears how an attempt ended. */
    public interface Outcome {

        /**
         * The server's response headers arrived with {@code status}. Return true to discard this
         * response and have {@link #failed} called with a {@link RetryableStatus} once it is read
         * (the retry middleware's {@code status} option); the client sees nothing of it.
         */
        default boolean retryOnStatus(int status) {
            return false;
        }

        /** The server's response headers arrived with {@code status} and are being relayed to the client. */
        default void answered(int status) {
        }

        /**
         * The time from sending the request to the response headers, or to giving up on a server
         * that did not answer in time (a very slow answer), for strategies that learn from it.
         */
        default void responseTime(long nanos) {
        }

        /**
         * The server could not be reached, failed before its response reached the client, or
         * answered a status {@link #retryOnStatus} chose to discard. Return true to take the exchange
         * over (for instance to retry on another server; the response is still uncommitted), or
         * false to let the forwarder answer 502 Bad Gateway or 504 Gateway Timeout (or the discarded
         * status).
         *
         * @param requestSent whether the request headers had been written to the server
         */
        boolean failed(Request request, Response response, Callback callback, Throwable failure, boolean requestSent);

        /** The exchange ended: the server's status, or the status the proxy answered with after a failure. */
        void completed(int status, long nanos, Throwable failure);
    }
}

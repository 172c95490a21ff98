package dev.switchboard.proxy.forward;

import dev.switchboard.proxy.upstream.ServerState;
import java.net.URI;
import java.time.Duration;

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
 *                              ({@link ServerState#abandonWaiting}), because it will be tried elsewhere
 * @param outcome               told when the attempt fails or completes
 */
public record Upstream(ServerState server, URI base, boolean preservePath, boolean passHostHeader,
        Duration responseHeaderTimeout, boolean abandonable, Outcome outcome) {

    /**
     * Hears what an attempt shows about its server (the balancer keeps passive health and response
     * times from it). Whether a failed attempt is tried again is not its business: the forwarder
     * asks the request's {@link RetryingHandler.Attempts}.
     */
    public interface Outcome {

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
         * The attempt failed before its answer reached the client: the server could not be
         * reached, broke the exchange, did not answer in time, was found down, or answered a status
         * the retry discarded ({@link dev.switchboard.proxy.upstream.RetryableStatus}).
         *
         * @param requestSent whether the request headers had been written to the server
         */
        void failed(Throwable failure, boolean requestSent);

        /** The exchange ended: the server's status, or the status the proxy answered with after a failure. */
        void completed(int status, long nanos, Throwable failure);
    }
}

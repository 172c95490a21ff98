package dev.switchboard.proxy.config.dynamic;

import java.time.Duration;
import java.util.List;

/**
 * How the proxy talks to a service's servers ({@code http.serversTransports.<name>}, and the
 * static {@code serversTransport} as the default). Traefik's keys; the ones Switchboard honours
 * are documented in docs/reference/file-format.md.
 */
public record ServersTransport(
        String serverName,
        Boolean insecureSkipVerify,
        List<String> rootCAs,
        Integer maxIdleConnsPerHost,
        ForwardingTimeouts forwardingTimeouts,
        Boolean disableHTTP2) {

    public ServersTransport {
        rootCAs = Maps.copy(rootCAs);
        forwardingTimeouts = forwardingTimeouts == null ? ForwardingTimeouts.DEFAULT : forwardingTimeouts;
    }

    public static final ServersTransport DEFAULT = new ServersTransport(null, null, null, null, null, null);

    /** Traefik's defaults: 30 s to connect, no limit on waiting for response headers, 90 s idle. */
    public record ForwardingTimeouts(Duration dialTimeout, Duration responseHeaderTimeout, Duration idleConnTimeout) {
        public static final ForwardingTimeouts DEFAULT = new ForwardingTimeouts(null, null, null);

        public ForwardingTimeouts {
            dialTimeout = dialTimeout == null ? Duration.ofSeconds(30) : dialTimeout;
            responseHeaderTimeout = responseHeaderTimeout == null ? Duration.ZERO : responseHeaderTimeout;
            idleConnTimeout = idleConnTimeout == null ? Duration.ofSeconds(90) : idleConnTimeout;
        }
    }
}

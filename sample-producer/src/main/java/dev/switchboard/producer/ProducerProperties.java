package dev.switchboard.producer;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The lab settings, bound from {@code producer.*}; application.properties maps the short environment variables
 * of the docs (INSTANCE_NAME, REVERSE_PROXY_URL, FAULT_*...) onto them.
 *
 * @param instance        how this replica names itself in {@code /instance} and {@code X-Instance}
 * @param reverseProxyUrl base URL of the reverse proxy for calls to other services ({@code /call/...})
 * @param callTimeout     time limit of one such call
 * @param faults          faults injected from start-up (all off by default)
 */
@ConfigurationProperties("producer")
public record ProducerProperties(Instance instance, URI reverseProxyUrl, Duration callTimeout, Faults faults) {

    public ProducerProperties {
        instance = instance == null ? new Instance(null, null, null) : instance;
        reverseProxyUrl = reverseProxyUrl == null ? URI.create("http://reverse-proxy") : reverseProxyUrl;
        callTimeout = callTimeout == null ? Duration.ofSeconds(5) : callTimeout;
        faults = faults == null ? new Faults(null, null, 500, false, false, null, true, "switchboard") : faults;
    }

    /**
     * @param name    INSTANCE_NAME: the replica's name; blank = the container's host name, else host:port
     * @param replica INSTANCE_REPLICA: the replica's number; blank = from the container name if it ends in one
     * @param version APP_VERSION: the version this replica runs ({@code blue}, {@code 2.1.0}); blank = none reported
     */
    public record Instance(String name, String replica, String version) {
    }

    /**
     * Raw values, parsed and checked by {@link dev.switchboard.producer.faults.FaultSettings#fromProperties} so
     * a bad variable fails start-up with its name in the message.
     */
    public record Faults(String latency, String errorRate, int errorStatus, boolean hang, boolean unhealthy,
                         String crashAfter, boolean adminEnabled, String adminToken) {
    }
}

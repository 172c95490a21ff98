package dev.switchboard.proxy.config.dynamic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service is exactly one of: a load balancer over servers, a weighted set of services, a
 * mirroring service, or a failover pair. In files and labels it is written
 * {@code <name>: {loadBalancer: {...}}}, the kind being the one key.
 */
public sealed interface Service permits Service.LoadBalancer, Service.Weighted, Service.Mirroring, Service.Failover {

    /** Kind names as Traefik spells them, in documentation order. */
    Map<String, Class<? extends Service>> KINDS = kinds();

    private static Map<String, Class<? extends Service>> kinds() {
        Map<String, Class<? extends Service>> kinds = new LinkedHashMap<>();
        kinds.put("loadBalancer", LoadBalancer.class);
        kinds.put("weighted", Weighted.class);
        kinds.put("mirroring", Mirroring.class);
        kinds.put("failover", Failover.class);
        return java.util.Collections.unmodifiableMap(kinds);
    }

    /** Traefik service kinds Switchboard does not build, with what to use instead. */
    Map<String, String> UNSUPPORTED_KINDS = Map.of(
            "highestRandomWeight", "use loadBalancer with strategy: hrw");

    /**
     * Servers behind one balancer. Defaults as Traefik: {@code passHostHeader} true,
     * {@code strategy} wrr, responses flushed every 100 ms.
     */
    record LoadBalancer(
            List<Server> servers,
            Boolean passHostHeader,
            String strategy,
            Sticky sticky,
            HealthCheck healthCheck,
            PassiveHealthCheck passiveHealthCheck,
            ResponseForwarding responseForwarding,
            String serversTransport) implements Service {

        public LoadBalancer {
            servers = Maps.copy(servers);
            passHostHeader = passHostHeader == null ? Boolean.TRUE : passHostHeader;
            strategy = strategy == null || strategy.isBlank() ? "wrr" : strategy;
            responseForwarding = responseForwarding == null ? ResponseForwarding.DEFAULT : responseForwarding;
        }

        public LoadBalancer withServers(List<Server> newServers) {
            return new LoadBalancer(newServers, passHostHeader, strategy, sticky, healthCheck, passiveHealthCheck,
                    responseForwarding, serversTransport);
        }
    }

    /** One server: its base URL and weight (default 1; 0 takes it out of rotation). */
    record Server(String url, Integer weight, Boolean preservePath) {
        public Server {
            weight = weight == null ? Integer.valueOf(1) : weight;
        }

        public Server(String url) {
            this(url, null, null);
        }
    }

    record Sticky(Cookie cookie) {
    }

    /** Sticky cookie; without a name Traefik derives one from the service name. */
    record Cookie(String name, Boolean secure, Boolean httpOnly, String sameSite, Integer maxAge, String path, String domain) {
        public Cookie {
            secure = secure != null && secure;
            httpOnly = httpOnly != null && httpOnly;
            path = path == null ? "/" : path;
        }
    }

    /**
     * Active health check. Traefik's keys and defaults (interval 30 s, timeout 5 s, follow
     * redirects), plus {@code unhealthyThreshold} / {@code healthyThreshold}: how many
     * consecutive failed / passed probes change a server's state (default 1 each).
     */
    record HealthCheck(
            String scheme,
            String mode,
            String path,
            String method,
            Integer status,
            Integer port,
            Duration interval,
            Duration unhealthyInterval,
            Duration timeout,
            String hostname,
            Boolean followRedirects,
            Map<String, String> headers,
            Integer unhealthyThreshold,
            Integer healthyThreshold) {

        public HealthCheck {
            mode = mode == null ? "http" : mode;
            interval = interval == null ? Duration.ofSeconds(30) : interval;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            followRedirects = followRedirects == null ? Boolean.TRUE : followRedirects;
            headers = Maps.copy(headers);
            unhealthyThreshold = unhealthyThreshold == null ? Integer.valueOf(1) : unhealthyThreshold;
            healthyThreshold = healthyThreshold == null ? Integer.valueOf(1) : healthyThreshold;
        }
    }

    /** Passive health check: {@code maxFailedAttempts} (default 1) within {@code failureWindow} (default 10 s). */
    record PassiveHealthCheck(Duration failureWindow, Integer maxFailedAttempts) {
        public PassiveHealthCheck {
            failureWindow = failureWindow == null ? Duration.ofSeconds(10) : failureWindow;
            maxFailedAttempts = maxFailedAttempts == null ? Integer.valueOf(1) : maxFailedAttempts;
        }
    }

    record ResponseForwarding(Duration flushInterval) {
        public static final ResponseForwarding DEFAULT = new ResponseForwarding(null);

        public ResponseForwarding {
            flushInterval = flushInterval == null ? Duration.ofMillis(100) : flushInterval;
        }
    }

    /** Weighted round robin over services: canary releases and progressive delivery. */
    record Weighted(List<WeightedService> services, Sticky sticky, ParentHealthCheck healthCheck) implements Service {
        public Weighted {
            services = Maps.copy(services);
        }
    }

    record WeightedService(String name, Integer weight) {
        public WeightedService {
            weight = weight == null ? Integer.valueOf(1) : weight;
        }
    }

    /** Sends every request to {@code service} and copies a percentage to each mirror. */
    record Mirroring(String service, Boolean mirrorBody, Long maxBodySize, List<Mirror> mirrors, ParentHealthCheck healthCheck)
            implements Service {
        public Mirroring {
            mirrorBody = mirrorBody == null ? Boolean.TRUE : mirrorBody;
            maxBodySize = maxBodySize == null ? Long.valueOf(-1) : maxBodySize;
            mirrors = Maps.copy(mirrors);
        }
    }

    record Mirror(String name, Integer percent) {
        public Mirror {
            percent = percent == null ? Integer.valueOf(0) : percent;
        }
    }

    /** Sends to {@code service} while it is healthy, else to {@code fallback}. */
    record Failover(String service, String fallback, ParentHealthCheck healthCheck) implements Service {
    }

    /** The empty {@code healthCheck: {}} of a parent service: propagate children's health upwards. */
    record ParentHealthCheck() {
    }
}

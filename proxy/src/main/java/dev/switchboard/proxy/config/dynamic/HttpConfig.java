package dev.switchboard.proxy.config.dynamic;

import java.util.Map;

/** The {@code http} section: routers, services, middlewares and servers transports by name. */
public record HttpConfig(
        Map<String, Router> routers,
        Map<String, Service> services,
        Map<String, Middleware> middlewares,
        Map<String, ServersTransport> serversTransports) {

    public static final HttpConfig EMPTY = new HttpConfig(null, null, null, null);

    public HttpConfig {
        routers = Maps.copy(routers);
        services = Maps.copy(services);
        middlewares = Maps.copy(middlewares);
        serversTransports = Maps.copy(serversTransports);
    }

    public boolean isEmpty() {
        return routers.isEmpty() && services.isEmpty() && middlewares.isEmpty() && serversTransports.isEmpty();
    }
}

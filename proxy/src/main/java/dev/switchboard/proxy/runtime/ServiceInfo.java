package dev.switchboard.proxy.runtime;

import dev.switchboard.proxy.config.dynamic.Service;

/** A service at runtime: its configuration (references qualified), status and the routers using it. */
public final class ServiceInfo extends ElementInfo<Service> {

    public ServiceInfo(String name, String provider, Service config, String source) {
        super(name, provider, config, source);
    }

    @Override
    public String kind() {
        return "service";
    }
}

package dev.switchboard.proxy.runtime;

import dev.switchboard.proxy.config.dynamic.Middleware;

/** A middleware at runtime: its configuration, status and the routers using it. */
public final class MiddlewareInfo extends ElementInfo<Middleware> {

    public MiddlewareInfo(String name, String provider, Middleware config, String source) {
        super(name, provider, config, source);
    }

    @Override
    public String kind() {
        return "middleware";
    }
}

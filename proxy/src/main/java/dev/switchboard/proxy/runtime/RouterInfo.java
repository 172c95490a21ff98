package dev.switchboard.proxy.runtime;

import dev.switchboard.proxy.config.dynamic.Router;
import java.util.List;

/** A router at runtime: its configuration with qualified references, the entry points it uses, its priority. */
public final class RouterInfo extends ElementInfo<Router> {
    private volatile List<String> using = List.of();

    public RouterInfo(String name, String provider, Router config, String source) {
        super(name, provider, config, source);
    }

    /** The entry points the router actually listens on. */
    public List<String> using() {
        return using;
    }

    public void using(List<String> entryPoints) {
        this.using = List.copyOf(entryPoints);
    }

    /** The priority used to order routers: the configured one, or the length of the rule. */
    public int priority() {
        return config().effectivePriority();
    }

    @Override
    public String kind() {
        return "router";
    }
}

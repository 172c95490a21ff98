package dev.switchboard.proxy.server;

import dev.switchboard.proxy.balancer.Selector;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled configuration: a router table per entry point, what to close when it is replaced
 * (health checks, middleware timers), which server URLs (or weighted children) each service has, so
 * state of servers no longer configured can be dropped, and each service's balancer selector, which
 * the next compilation continues.
 */
public record CompiledConfig(Map<String, RouterTable> tables, List<AutoCloseable> resources,
        Map<String, Set<String>> serverUrls, Map<String, Selector> selectors) implements AutoCloseable {

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // Closing an old configuration's timers must not stop the new one.
            }
        }
    }
}

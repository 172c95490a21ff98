package dev.switchboard.proxy.runtime;

import java.time.Instant;
import java.util.List;

/**
 * What happened at one configuration apply (or failed read), for the dashboard, metrics and logs.
 *
 * @param at        when
 * @param providers the providers whose changes were applied (or the one that failed to read)
 * @param success   whether the new configuration now serves
 * @param problems  errors recorded on routers, services and middlewares, or why the apply failed
 * @param runtime   the configuration serving after this apply
 */
public record Reload(Instant at, List<String> providers, boolean success, List<String> problems, RuntimeConfiguration runtime) {
}

package dev.switchboard.proxy.config.dynamic;

import java.util.List;

/**
 * A router: a rule that matches requests on some entry points, the middlewares they pass through
 * in order, and the service that answers. Without {@code entryPoints} it listens on every default
 * entry point (all but {@code traefik}, or those marked {@code asDefault}). Without
 * {@code priority} its priority is the length of its rule, as in Traefik.
 */
public record Router(
        List<String> entryPoints,
        List<String> middlewares,
        String service,
        String rule,
        String ruleSyntax,
        Integer priority,
        RouterTls tls) {

    public Router {
        entryPoints = Maps.copy(entryPoints);
        middlewares = Maps.copy(middlewares);
    }

    /** The priority Traefik uses when none is given: the length of the rule. */
    public int effectivePriority() {
        if (priority != null && priority != 0) {
            return priority;
        }
        return rule == null ? 0 : rule.length();
    }

    public Router withService(String newService) {
        return new Router(entryPoints, middlewares, newService, rule, ruleSyntax, priority, tls);
    }

    public Router withRule(String newRule) {
        return new Router(entryPoints, middlewares, service, newRule, ruleSyntax, priority, tls);
    }

    /** A router's {@code tls} section: present (even empty) means the router serves HTTPS only. */
    public record RouterTls(String options, String certResolver, List<Domain> domains) {
        public RouterTls {
            domains = Maps.copy(domains);
        }

        public record Domain(String main, List<String> sans) {
            public Domain {
                sans = Maps.copy(sans);
            }
        }
    }
}

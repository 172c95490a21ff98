package dev.switchboard.proxy.balancer;

import dev.switchboard.proxy.config.Suggestions;
import dev.switchboard.proxy.upstream.ServerState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A load-balancing algorithm: stateless, it makes a {@link Selector} for a list of servers. What
 * the algorithm learns between requests (rotation, response times) is the selector's own; a
 * selector made at a reload takes it over from the one it replaces, so it survives reloads. Facts
 * about the servers (weight, requests in flight, health) are read from their {@link ServerState}.
 * Names are Traefik's ({@code loadBalancer.strategy}) where Traefik has the algorithm;
 * {@code leastconn} is HAProxy's.
 */
public interface Strategy {

    /** The name used in configuration. */
    String name();

    /**
     * A selector over {@code servers}, continuing what {@code previous} learned (the selector of the
     * same service in the configuration being replaced; null at first, or when it used another
     * strategy it is ignored).
     */
    Selector newSelector(List<ServerState> servers, Selector previous);

    /** A selector that starts afresh. */
    default Selector newSelector(List<ServerState> servers) {
        return newSelector(servers, null);
    }

    /** Smooth weighted round robin (nginx's algorithm): Traefik's default {@code wrr}. */
    static Strategy weightedRoundRobin() {
        return SmoothWeightedRoundRobin.STRATEGY;
    }

    /** Power of two random choices on requests in flight: Traefik's {@code p2c}. */
    static Strategy powerOfTwoChoices() {
        return PowerOfTwoChoices.STRATEGY;
    }

    /** Fewest requests in flight relative to weight: {@code leastconn}. */
    static Strategy leastConnections() {
        return LeastConnections.STRATEGY;
    }

    /** Least response time, weighted by requests in flight: Traefik's {@code leasttime}. */
    static Strategy leastTime() {
        return LeastTime.STRATEGY;
    }

    /** Client-IP affinity by rendezvous hashing: Traefik's {@code hrw}. */
    static Strategy highestRandomWeight() {
        return HighestRandomWeight.STRATEGY;
    }

    /** Strategies by name, in documentation order. */
    Map<String, Strategy> ALL = all();

    private static Map<String, Strategy> all() {
        Map<String, Strategy> m = new LinkedHashMap<>();
        for (Strategy s : List.of(weightedRoundRobin(), powerOfTwoChoices(), leastConnections(), leastTime(),
                highestRandomWeight())) {
            m.put(s.name(), s);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The strategy named {@code name} (any case), or empty; see {@link #unknown} for the error message. */
    static Optional<Strategy> byName(String name) {
        return Optional.ofNullable(ALL.get(name.trim().toLowerCase(Locale.ROOT)));
    }

    static String unknown(String name) {
        String known = String.join(", ", ALL.keySet());
        return "unknown load-balancing strategy \"" + name + "\""
                + Suggestions.closest(name, ALL.keySet()).map(s -> ": did you mean " + s + "?").orElse("")
                + " (strategies: " + known + ")";
    }

    /** A strategy from a name and a selector factory. */
    static Strategy of(String name, BiFunction<List<ServerState>, Selector, Selector> factory) {
        return new Strategy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Selector newSelector(List<ServerState> servers, Selector previous) {
                return factory.apply(servers, previous);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}

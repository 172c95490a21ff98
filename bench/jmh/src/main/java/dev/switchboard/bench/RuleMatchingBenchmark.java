package dev.switchboard.bench;

import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.rules.RoutingRequest;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import dev.switchboard.proxy.server.RouterTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding the router for a request in an entry point's table of 100 routers, the way
 * {@code EntryPointHandler} does it: rules parsed and compiled by {@link RuleParser}, routes ordered
 * by priority (the rule's length, as in Traefik) in a {@link RouterTable}, first match wins.
 *
 * <p>The rules are a mix a course deployment has: {@code Host}, the handout's
 * {@code Host(...) || PathPrefix(...)}, {@code PathPrefix(...) && Header(...)},
 * {@code Host(...) && PathPrefix(...)}, and a few {@code Method}/{@code Query} ones. Three requests:
 * one that only the last router in the table matches (every rule is tried), one that the router
 * in the middle matches, and one that nothing matches (404). The request answers its fields
 * directly (as {@code JettyRoutingRequest} does once it has worked them out), so this measures the
 * matching, not Jetty's parsing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RuleMatchingBenchmark {
    static final int ROUTERS = 100;

    @Param({"last", "middle", "none"})
    public String target;

    RouterTable table;
    RoutingRequest request;
    String expected;

    /** The rule of router {@code i}: one of five shapes, each distinct. */
    static String rule(int i) {
        return switch (i % 5) {
            case 0 -> "Host(`app" + i + ".example.com`)";
            case 1 -> "Host(`app" + i + ".localhost`) || PathPrefix(`/app" + i + "`)";
            case 2 -> "PathPrefix(`/api/v" + i + "/`) && Header(`X-Tenant`, `tenant-" + i + "`)";
            case 3 -> "Host(`svc" + i + ".example.com`) && PathPrefix(`/v1`)";
            default -> "(Method(`POST`) || Query(`debug`, `" + i + "`)) && PathPrefix(`/jobs" + i + "`)";
        };
    }

    /** A request only router {@code i}'s rule matches. */
    static RoutingRequest matching(int i) {
        return switch (i % 5) {
            case 0 -> new Fixed("app" + i + ".example.com", "/", "GET", Map.of(), Map.of());
            case 1 -> new Fixed("localhost", "/app" + i + "/orders", "GET", Map.of(), Map.of());
            case 2 -> new Fixed("localhost", "/api/v" + i + "/items", "GET", Map.of("X-Tenant", "tenant-" + i), Map.of());
            case 3 -> new Fixed("svc" + i + ".example.com", "/v1/status", "GET", Map.of(), Map.of());
            default -> new Fixed("localhost", "/jobs" + i, "POST", Map.of(), Map.of());
        };
    }

    @Setup(Level.Trial)
    public void setUp() throws RuleException {
        List<RouterTable.Route> routes = new ArrayList<>();
        Request.Handler handler = (req, resp, cb) -> true;
        for (int i = 0; i < ROUTERS; i++) {
            String rule = rule(i);
            int priority = new Router(null, null, "svc", rule, null, null, null).effectivePriority();
            routes.add(new RouterTable.Route("router" + i + "@file", priority, RuleParser.parse(rule).compile(), handler));
        }
        table = new RouterTable(routes);
        List<RouterTable.Route> ordered = table.routes();
        switch (target) {
            case "last" -> expected = ordered.get(ordered.size() - 1).routerName();
            case "middle" -> expected = ordered.get(ordered.size() / 2).routerName();
            case "none" -> expected = null;
            default -> throw new IllegalArgumentException(target);
        }
        request = expected == null
                ? new Fixed("nowhere.example.org", "/missing", "GET", Map.of("X-Tenant", "nobody"), Map.of())
                : matching(Integer.parseInt(expected.substring("router".length(), expected.indexOf('@'))));
        RouterTable.Route found = table.match(request);
        String foundName = found == null ? null : found.routerName();
        if (!java.util.Objects.equals(foundName, expected)) {
            throw new IllegalStateException("request for " + target + " matched " + foundName + ", not " + expected);
        }
    }

    @Benchmark
    public RouterTable.Route match() {
        return table.match(request);
    }

    /** A request whose fields are known in advance. */
    record Fixed(String host, String routingPath, String method, Map<String, String> headers,
            Map<String, String> query) implements RoutingRequest {
        @Override
        public List<String> headerValues(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return List.of(e.getValue());
                }
            }
            return List.of();
        }

        @Override
        public List<String> queryValues(String name) {
            String v = query.get(name);
            return v == null ? null : List.of(v);
        }

        @Override
        public String clientIp() {
            return "127.0.0.1";
        }
    }
}

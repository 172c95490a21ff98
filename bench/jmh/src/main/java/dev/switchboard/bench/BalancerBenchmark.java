package dev.switchboard.bench;

import dev.switchboard.proxy.balancer.Selector;
import dev.switchboard.proxy.balancer.Strategy;
import dev.switchboard.proxy.upstream.ServerState;
import dev.switchboard.proxy.upstream.StateRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One balancer decision, per strategy and number of servers, as {@code LoadBalancerHandler} asks
 * it: {@code select(clientAddress, eligible)} over the service's servers. The servers have unequal
 * weights, some requests in flight and recorded response times (so {@code leastconn} and
 * {@code leasttime} have something to compare), and one server in eight is down (the eligibility
 * test skips it). {@code hrw} gets a different client address each call, from a set of 1024.
 * {@code select2} runs the same with two threads at once: the contention a 2-core proxy sees.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BalancerBenchmark {

    @Param({"wrr", "p2c", "leastconn", "leasttime", "hrw"})
    public String strategy;

    @Param({"4", "32"})
    public int servers;

    Selector selector;
    final String[] clients = new String[1024];

    @Setup(Level.Trial)
    public void setUp() {
        StateRegistry registry = new StateRegistry();
        SplittableRandom random = new SplittableRandom(42);
        List<ServerState> states = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            ServerState s = registry.server("bench@file", "http://10.1." + (i / 250) + "." + (i % 250 + 1) + ":8080",
                    1 + i % 3);
            for (int r = random.nextInt(4); r > 0; r--) {
                s.begin(); // requests in flight, never ended: leastconn sees different loads
            }
            states.add(s);
        }
        ServerState down = states.get(states.size() - 1);
        for (int r = 0; r < 3; r++) {
            down.health().recordProbe(false, "bench: down", 1, 1);
        }
        selector = Strategy.byName(strategy).orElseThrow().newSelector(states);
        for (ServerState s : states) {
            for (int r = 0; r < 100; r++) {
                selector.responded(s, 1_000_000L + random.nextInt(4_000_000)); // leasttime learns these
            }
        }
        for (int i = 0; i < clients.length; i++) {
            clients[i] = "192.168." + (i / 250) + "." + (i % 250 + 1);
        }
        if (selector.select(clients[0], ServerState::available) == null) {
            throw new IllegalStateException("no server selected");
        }
    }

    @State(Scope.Thread)
    public static class Client {
        int next;
    }

    @Benchmark
    public ServerState select(Client client) {
        String address = clients[client.next++ & (clients.length - 1)];
        return selector.select(address, ServerState::available);
    }

    @Benchmark
    @Threads(2)
    public ServerState select2(Client client) {
        String address = clients[client.next++ & (clients.length - 1)];
        return selector.select(address, ServerState::available);
    }
}

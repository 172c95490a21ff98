package dev.switchboard.lab.sim;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compose file running on this machine without Docker: every replica of every service is a real
 * program (the proxy, the Spring Boot producer, MariaDB...) on its own loopback address and the port
 * it would use in its container; published ports are relayed from the host like Docker's proxy; the
 * proxy's Docker provider reads these containers and their events from an emulation of the Docker
 * Engine API. Faults behave as Docker's: kill (connections reset), stop (graceful), pause (accepts,
 * never answers), scale.
 */
public final class Simulation implements AutoCloseable {
    private static final Pattern ADDR = Pattern.compile("\\{addr:([^:}]+):(\\d+)(:implicit)?}");

    /** Where things are and who hears about containers. */
    public record Options(Path repoRoot, Path stateDir, DockerEvents docker, String dockerEndpoint, Duration stopGrace,
            boolean anyHostPort) {
    }

    /** What {@code lab ps} shows for a container. */
    public record ContainerView(String name, String service, int number, String state, String health, String address,
            List<String> ports, String id, String startedAt) {
    }

    private final ComposeFile compose;
    private final Options options;
    private final Consumer<String> progress;
    private final boolean privileged = AddressPlan.canBindPrivilegedPorts();
    private final AddressPlan addresses;
    private final Logs logs;
    private final Map<String, ServicePlan> plans = new LinkedHashMap<>();
    private final Map<String, List<SimContainer>> containers = new ConcurrentHashMap<>();
    private final List<PortPublisher> published = new CopyOnWriteArrayList<>();
    private final Map<SimContainer, ScheduledFuture<?>> healthTasks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "lab-health");
        t.setDaemon(true);
        return t;
    });
    private Planner planner;
    private Networks networks;
    private volatile boolean closing;

    private Simulation(ComposeFile compose, Options options, Consumer<String> progress) {
        this.compose = compose;
        this.options = options;
        this.progress = progress;
        this.addresses = AddressPlan.allocate();
        this.logs = new Logs(options.stateDir().resolve("logs"));
    }

    /** Plans and starts every service in dependency order; returns when all have started. */
    public static Simulation start(ComposeFile compose, Options options, Consumer<String> progress) throws Exception {
        Simulation sim = new Simulation(compose, options, progress);
        try {
            sim.startAll();
        } catch (Exception | Error e) {
            sim.close();
            throw e;
        }
        return sim;
    }

    public ComposeFile compose() {
        return compose;
    }

    public Logs logs() {
        return logs;
    }

    public boolean privileged() {
        return privileged;
    }

    public Collection<ServicePlan> plans() {
        return plans.values();
    }

    private void startAll() throws Exception {
        Files.createDirectories(options.stateDir());
        planner = new Planner(compose, options.repoRoot(), options.stateDir(), privileged, options.dockerEndpoint());
        for (ServicePlan p : planner.plan()) {
            plans.put(p.name(), p);
            if (p.note() != null) {
                progress.accept(p.name() + ": " + p.note());
            }
        }
        networks = new Networks(compose, plans.values());
        writeHostsFiles();
        List<String> order = startOrder();
        for (String name : order) {
            ServicePlan plan = plans.get(name);
            waitForDependencies(plan);
            int replicas = plan.service().replicas();
            progress.accept("starting " + name + (replicas > 1 ? " (" + replicas + " replicas)" : ""));
            startReplicas(plan, 1, replicas);
        }
        publishPorts();
    }

    private List<String> startOrder() {
        List<String> order = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (String s : plans.keySet()) {
            visit(s, state, order, new ArrayList<>());
        }
        return order;
    }

    private void visit(String s, Map<String, Integer> state, List<String> order, List<String> path) {
        Integer st = state.get(s);
        if (st != null && st == 2) {
            return;
        }
        path.add(s);
        if (st != null && st == 1) {
            throw new ComposeException(compose.file() + ": depends_on forms a cycle: " + String.join(" -> ", path));
        }
        state.put(s, 1);
        for (String dep : plans.get(s).service().dependsOn().keySet()) {
            visit(dep, state, order, path);
        }
        path.remove(path.size() - 1);
        state.put(s, 2);
        order.add(s);
    }

    private void waitForDependencies(ServicePlan plan) throws InterruptedException {
        for (Map.Entry<String, String> dep : plan.service().dependsOn().entrySet()) {
            if (!dep.getValue().equals("service_healthy")) {
                continue;
            }
            ServicePlan depPlan = plans.get(dep.getKey());
            if (depPlan.health() == null) {
                throw new ComposeException(plan.service().where() + ": service " + plan.name() + " waits for " + dep.getKey()
                        + " to be healthy, but " + dep.getKey() + " has no healthcheck");
            }
            progress.accept("waiting for " + dep.getKey() + " to be healthy");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (containers(dep.getKey()).stream().anyMatch(c -> !"healthy".equals(c.health()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(dep.getKey() + " did not become healthy within 5 minutes; see lab logs "
                            + dep.getKey());
                }
                Thread.sleep(100);
            }
        }
    }

    private void startReplicas(ServicePlan plan, int first, int last) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, last - first + 1)));
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int n = first; n <= last; n++) {
                int number = n;
                started.add(pool.submit(() -> {
                    startContainer(plan, number);
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void startContainer(ServicePlan plan, int number) throws Exception {
        InetAddress ip = addresses.address(plan.index(), number);
        Map<String, String> labels = composeLabels(plan, number);
        Map<String, String> engineNetworks = new LinkedHashMap<>();
        for (String n : networks.of(plan.name())) {
            // On a network no proxy is on, the proxy must not reach the container: an address where nothing listens.
            InetAddress seen = networks.proxyReaches(n, plan.kind()) ? ip : addresses.unreachable(number);
            engineNetworks.put(networks.engineName(n), seen.getHostAddress());
        }
        List<Integer> exposed = plan.listenPorts().stream().map(planner::listenPort).toList();
        String name = compose.project() + "-" + plan.name() + "-" + number;
        String id = options.docker().create(new DockerEvents.Descriptor(name, labels, engineNetworks, exposed, plan.health() != null));
        SimContainer c;
        if (plan.kind() == ServicePlan.Kind.DATABASE) {
            c = new DatabaseContainer(id, compose.project(), plan.name(), number, ip, labels,
                    planner.listenPort(plan.databasePort()), options.stateDir().resolve("db").resolve(plan.name() + "-" + number),
                    plan.environment(), plan.initScripts(), logs);
        } else {
            String hostname = id.substring(0, 12);
            List<String> program = plan.program().stream().map(a -> resolve(plan, a, ip, hostname).replace("{number}",
                    String.valueOf(number))).toList();
            Map<String, String> env = new LinkedHashMap<>();
            plan.environment().forEach((k, v) -> env.put(k, resolve(plan, v, ip, hostname).replace("{number}",
                    String.valueOf(number))));
            env.put("HOSTNAME", hostname);
            SimContainer[] self = new SimContainer[1];
            c = new ProcessContainer(id, compose.project(), plan.name(), number, ip, labels, program, env,
                    plan.workingDirectory(), logs, code -> onExit(self[0], code));
            self[0] = c;
        }
        containers.computeIfAbsent(plan.name(), k -> new CopyOnWriteArrayList<>()).add(c);
        c.start();
        if (plan.health() != null) {
            c.health("starting");
        }
        options.docker().started(c);
        monitorHealth(plan, c);
    }

    /**
     * The labels compose itself puts on containers, which Traefik's Docker provider reads, plus the
     * service's own. A {@code loadbalancer.server.port} below 1024 follows the port the simulation
     * moved it to, since the program listens there.
     */
    private Map<String, String> composeLabels(ServicePlan plan, int number) {
        Map<String, String> labels = new LinkedHashMap<>();
        plan.service().labels().forEach((k, v) -> {
            boolean portLabel = k.toLowerCase(java.util.Locale.ROOT).endsWith(".loadbalancer.server.port");
            labels.put(k, portLabel && v.trim().matches("\\d+") ? String.valueOf(planner.listenPort(Integer.parseInt(v.trim()))) : v);
        });
        labels.put("com.docker.compose.project", compose.project());
        labels.put("com.docker.compose.service", plan.name());
        labels.put("com.docker.compose.container-number", String.valueOf(number));
        labels.put("com.docker.compose.oneoff", "False");
        labels.put("com.docker.compose.project.config_files", compose.file().toString());
        labels.put("com.docker.compose.project.working_dir", compose.directory().toString());
        return labels;
    }

    /**
     * A service name in a container's environment or command stays a name, resolved by the
     * container's hosts file as Docker's DNS would (so only on a network it shares with that service,
     * and {@code http://reverse-proxy/app2} keeps its Host header); only a port the simulation moved
     * (80 to 8000 without privileges) is written out.
     */
    private String resolve(ServicePlan from, String template, InetAddress ip, String hostname) {
        String s = template.replace("{ip}", ip.getHostAddress()).replace("{hostname}", hostname);
        Matcher m = ADDR.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String service = m.group(1);
            int port = Integer.parseInt(m.group(2));
            int listen = networks.share(from.name(), service) ? planner.listenPort(port) : port;
            boolean implicit = m.group(3) != null;
            m.appendReplacement(out, Matcher.quoteReplacement(implicit && listen == port ? service : service + ":" + listen));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void onExit(SimContainer c, int code) {
        if (closing) {
            return;
        }
        ScheduledFuture<?> task = healthTasks.remove(c);
        if (task != null) {
            task.cancel(false);
        }
        if (c instanceof ProcessContainer pc && !pc.expectedExit()) {
            logs.line(c.name(), "exited with code " + code);
            options.docker().died(c, code);
        }
    }

    private void monitorHealth(ServicePlan plan, SimContainer c) {
        if (plan.health() == null) {
            return;
        }
        ServicePlan.HealthTiming t = plan.healthTiming();
        HealthStreak streak = new HealthStreak(t.retries(), t.startPeriod(), Instant.now());
        long interval = TimeUnit.MILLISECONDS.toNanos(Math.max(HealthStreak.START_INTERVAL.toMillis(), t.interval().toMillis()));
        // Without a start period the first probe comes after min(interval, 1 s); then one every interval, as Docker.
        long[] next = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(t.interval().toMillis(), 1000))};
        Runnable probe = () -> {
            if (c.state() != SimContainer.State.RUNNING) {
                return;
            }
            long now = System.nanoTime();
            if (!streak.starting(Instant.now()) && now - next[0] < 0) {
                return;
            }
            next[0] = now + interval;
            boolean ok = plan.health().check(c.address().getHostAddress(), planner::listenPort, t.timeout());
            String before = c.health();
            String verdict = streak.record(ok, Instant.now());
            if (verdict != null) {
                c.health(verdict);
            }
            if (!c.health().equals(before)) {
                logs.line(c.name(), "health: " + c.health() + " (" + plan.health().description() + ")");
                options.docker().health(c, c.health());
            }
        };
        long tick = HealthStreak.START_INTERVAL.toMillis();
        healthTasks.put(c, scheduler.scheduleWithFixedDelay(probe, tick, tick, TimeUnit.MILLISECONDS));
    }

    private void publishPorts() throws IOException {
        for (ServicePlan plan : plans.values()) {
            List<SimContainer> cs = containers(plan.name());
            if (cs.isEmpty()) {
                continue;
            }
            for (ComposeFile.Port port : plan.service().ports()) {
                String hostIp = port.hostIp() == null || port.hostIp().equals("0.0.0.0") ? "127.0.0.1" : port.hostIp();
                int hostPort = port.hostPort() == 0 || options.anyHostPort() ? 0 : planner.listenPort(port.hostPort());
                InetSocketAddress target = new InetSocketAddress(cs.get(0).address(), planner.listenPort(port.containerPort()));
                try {
                    published.add(new PortPublisher(new InetSocketAddress(hostIp, hostPort), target));
                } catch (java.net.BindException e) {
                    throw new IllegalStateException("service " + plan.name() + ": cannot publish port " + hostIp + ":" + hostPort
                            + " (" + e.getMessage() + "): is another program or lab using it? Stop it, or change ports: in "
                            + compose.file().getFileName());
                }
            }
        }
    }

    /**
     * Waits until every container with a health check reports healthy, as {@code docker compose up --wait}
     * does; returns the containers still not healthy when {@code patience} ran out.
     */
    public List<String> awaitHealthy(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<String> waiting = new ArrayList<>();
            for (ServicePlan plan : plans.values()) {
                for (SimContainer c : containers(plan.name())) {
                    if (plan.health() != null && c.alive() && !"healthy".equals(c.health())) {
                        waiting.add(c.name() + " (" + c.health() + ")");
                    }
                }
            }
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                return waiting;
            }
            Thread.sleep(200);
        }
    }

    /** Published ports: "service:containerPort" → host URL base. */
    public Map<String, String> publishedUrls() {
        Map<String, String> out = new LinkedHashMap<>();
        for (PortPublisher p : published) {
            for (ServicePlan plan : plans.values()) {
                for (SimContainer c : containers(plan.name())) {
                    if (c.address().equals(p.target().getAddress())) {
                        int containerPort = plan.service().ports().stream()
                                .filter(x -> planner.listenPort(x.containerPort()) == p.target().getPort())
                                .map(ComposeFile.Port::containerPort).findFirst().orElse(p.target().getPort());
                        out.put(plan.name() + ":" + containerPort, "http://localhost:" + p.port());
                    }
                }
            }
        }
        return out;
    }

    /** The host URL of a published container port, e.g. {@code ("reverse-proxy", 80)}. */
    public String publishedUrl(String service, int containerPort) {
        String url = publishedUrls().get(service + ":" + containerPort);
        if (url == null) {
            throw new IllegalArgumentException("service " + service + " publishes no port " + containerPort);
        }
        return url;
    }

    /** Where a container port of a replica really listens (its loopback address). */
    public InetSocketAddress address(String service, int replica, int containerPort) {
        SimContainer c = container(service, replica);
        return new InetSocketAddress(c.address(), planner.listenPort(containerPort));
    }

    /** Where a path inside a service's containers is on this machine (volumes, the container's own files). */
    public java.util.Optional<Path> hostPath(String service, String containerPath) {
        requireService(service);
        String translated = planner.translatePath(plans.get(service).service(), containerPath);
        return translated.equals(containerPath) ? java.util.Optional.empty() : java.util.Optional.of(Path.of(translated));
    }

    public List<SimContainer> containers(String service) {
        List<SimContainer> cs = containers.get(service);
        return cs == null ? List.of() : List.copyOf(cs);
    }

    public SimContainer container(String service, int replica) {
        requireService(service);
        return containers(service).stream().filter(c -> c.number() == replica).findFirst().orElseThrow(() ->
                new IllegalArgumentException("service " + service + " has no replica " + replica + " (replicas: "
                        + containers(service).stream().map(c -> String.valueOf(c.number())).toList() + ")"));
    }

    private void requireService(String service) {
        if (!plans.containsKey(service)) {
            throw new IllegalArgumentException("no service \"" + service + "\" in " + compose.file().getFileName()
                    + " (services: " + String.join(", ", plans.keySet()) + ")");
        }
    }

    private List<SimContainer> targets(String service, Integer replica) {
        requireService(service);
        return replica == null ? containers(service) : List.of(container(service, replica));
    }

    /** {@code docker kill}: SIGKILL; Docker emits kill (9) then die (137). */
    public List<String> kill(String service, Integer replica) {
        List<String> done = new ArrayList<>();
        for (SimContainer c : targets(service, replica)) {
            if (c.alive()) {
                cancelHealth(c);
                c.kill();
                options.docker().killed(c, 137);
                done.add(c.name());
            }
        }
        return done;
    }

    /** {@code docker stop}: kill (15), die, stop. */
    public List<String> stop(String service, Integer replica) {
        List<String> done = new ArrayList<>();
        for (SimContainer c : targets(service, replica)) {
            if (c.alive()) {
                cancelHealth(c);
                options.docker().stopping(c);
                c.stop(options.stopGrace());
                options.docker().stopped(c);
                done.add(c.name());
            }
        }
        return done;
    }

    public List<String> pause(String service, Integer replica) {
        List<String> done = new ArrayList<>();
        for (SimContainer c : targets(service, replica)) {
            if (c.state() == SimContainer.State.RUNNING) {
                c.pause();
                options.docker().paused(c);
                done.add(c.name());
            }
        }
        return done;
    }

    public List<String> unpause(String service, Integer replica) {
        List<String> done = new ArrayList<>();
        for (SimContainer c : targets(service, replica)) {
            if (c.state() == SimContainer.State.PAUSED) {
                c.unpause();
                options.docker().unpaused(c);
                done.add(c.name());
            }
        }
        return done;
    }

    /** {@code docker start} of exited containers of a service. */
    public List<String> startAgain(String service, Integer replica) throws Exception {
        List<String> done = new ArrayList<>();
        for (SimContainer c : targets(service, replica)) {
            if (!c.alive()) {
                containers.get(service).remove(c);
                options.docker().removed(c);
                startContainer(plans.get(service), c.number());
                done.add(c.name());
            }
        }
        return done;
    }

    /** {@code docker compose up --scale service=n}: starts the missing replicas or stops and removes the extra ones. */
    public List<String> scale(String service, int replicas) throws Exception {
        requireService(service);
        if (replicas < 0 || replicas > 50) {
            throw new IllegalArgumentException("replicas must be between 0 and 50");
        }
        List<String> done = new ArrayList<>();
        List<SimContainer> now = containers(service);
        int current = now.stream().mapToInt(SimContainer::number).max().orElse(0);
        if (replicas > now.size()) {
            startReplicas(plans.get(service), current + 1, current + replicas - now.size());
            containers(service).stream().filter(c -> c.number() > current).forEach(c -> done.add(c.name()));
        } else {
            List<SimContainer> extra = now.stream().sorted((a, b) -> b.number() - a.number()).limit(now.size() - replicas).toList();
            for (SimContainer c : extra) {
                stop(service, c.number());
                containers.get(service).remove(c);
                options.docker().removed(c);
                done.add(c.name());
            }
        }
        return done;
    }

    public List<ContainerView> ps() {
        List<ContainerView> out = new ArrayList<>();
        for (ServicePlan plan : plans.values()) {
            for (SimContainer c : containers(plan.name()).stream().sorted(java.util.Comparator.comparingInt(SimContainer::number)).toList()) {
                List<String> ports = new ArrayList<>();
                for (int p : plan.listenPorts()) {
                    ports.add(c.address().getHostAddress() + ":" + planner.listenPort(p) + (planner.listenPort(p) != p ? " (" + p + ")" : ""));
                }
                out.add(new ContainerView(c.name(), plan.name(), c.number(), c.state().docker()
                        + (c.exitCode() != null && c.state() == SimContainer.State.EXITED ? " (" + c.exitCode() + ")" : ""),
                        c.health() == null ? "" : c.health(), c.address().getHostAddress(), ports, c.id(),
                        c.startedAt() == null ? "" : c.startedAt().toString()));
            }
        }
        return out;
    }

    private void cancelHealth(SimContainer c) {
        ScheduledFuture<?> f = healthTasks.remove(c);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Each service's hosts file: the names it resolves (see {@link Networks}). */
    private void writeHostsFiles() throws IOException {
        Map<String, Integer> replicas = new LinkedHashMap<>();
        plans.values().forEach(p -> replicas.put(p.name(), p.service().replicas()));
        for (ServicePlan plan : plans.values()) {
            Files.writeString(planner.hostsFile(plan.name()), networks.hostsFile(plan.name(), replicas,
                    (service, n) -> addresses.address(plans.get(service).index(), n).getHostAddress()));
        }
    }

    /** {@code docker compose down}: stops everything, in reverse dependency order. */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        published.forEach(PortPublisher::close);
        List<String> names = new ArrayList<>(plans.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            List<SimContainer> cs = containers(name);
            cs.parallelStream().forEach(c -> {
                try {
                    if (c.alive()) {
                        c.stop(options.stopGrace());
                    }
                } catch (RuntimeException e) {
                    c.kill();
                }
            });
        }
        addresses.close();
    }
}

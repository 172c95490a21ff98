package dev.switchboard.lab.sim;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.model.Dependency;
import dev.switchboard.lab.model.LabModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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

    private final LabModel model;
    private final ComposeFile compose;
    private final Options options;
    /** The file in a lab's state folder that lists the processes it started (see {@link ProcessLedger}). */
    public static final String LEDGER = "processes";

    private final Consumer<String> progress;
    private final Platform platform = Platform.current();
    private final boolean privileged;
    private final AddressPlan addresses;
    private final ProcessLedger ledger;
    /** Each service's place in the address plan, kept while the lab runs (services added later take the next ones). */
    private final Map<String, Integer> slots = new ConcurrentHashMap<>();
    private final Logs logs;
    private final Map<String, ServicePlan> plans = new LinkedHashMap<>();
    private final Map<String, List<SimContainer>> containers = new ConcurrentHashMap<>();
    /** Published ports by service. */
    private final Map<String, List<PortPublisher>> published = new ConcurrentHashMap<>();
    private final Map<SimContainer, ScheduledFuture<?>> healthTasks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "lab-health");
        t.setDaemon(true);
        return t;
    });
    private volatile LabModel current;
    private Planner planner;
    private Networks networks;
    private volatile boolean closing;

    private Simulation(LabModel model, Options options, Consumer<String> progress) {
        this.model = model;
        this.compose = model.compose();
        this.options = options;
        this.progress = progress;
        this.current = model;
        this.addresses = AddressPlan.allocate();
        this.privileged = addresses.privilegedPorts();
        this.logs = new Logs(options.stateDir().resolve("logs"));
        this.ledger = new ProcessLedger(options.stateDir().resolve(LEDGER));
    }

    /** Plans and starts every service in dependency order; returns when all have started. */
    public static Simulation start(LabModel model, Options options, Consumer<String> progress) throws Exception {
        Simulation sim = new Simulation(model, options, progress);
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

    /** The model the lab runs now: the one it started with, or the last one {@link #apply applied}. */
    public LabModel model() {
        return current;
    }

    /** How containers are addressed on this machine, for {@code lab up}. */
    public String addressing() {
        return addresses.describe();
    }

    /** Ports the simulation had to move, said once when the lab is ready. */
    public List<String> portNotes() {
        List<String> notes = new ArrayList<>();
        for (ServicePlan plan : plans.values()) {
            for (ComposeFile.Port port : plan.service().ports()) {
                if (port.hostPort() != 0 && planner.listenPort(port.hostPort()) != port.hostPort() && !options.anyHostPort()) {
                    notes.add("service " + plan.name() + " publishes port " + port.hostPort() + ", which needs root: published on "
                            + planner.listenPort(port.hostPort()) + " instead; the labs publish 8000 so that nothing moves");
                }
            }
        }
        return notes;
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
        planner = new Planner(model, options.repoRoot(), options.stateDir(), privileged, options.dockerEndpoint());
        for (ServicePlan p : planner.plan()) {
            plans.put(p.name(), p);
            slots.put(p.name(), p.index());
            if (p.note() != null) {
                progress.accept(p.name() + ": " + p.note());
            }
        }
        networks = new Networks(model);
        writeHostsFiles();
        for (String name : model.startOrder()) {
            ServicePlan plan = plans.get(name);
            waitForDependencies(plan);
            int replicas = plan.service().replicas();
            progress.accept("starting " + name + (replicas > 1 ? " (" + replicas + " replicas)" : ""));
            startReplicas(plan, 1, replicas);
        }
        publishPorts();
    }

    private void waitForDependencies(ServicePlan plan) throws InterruptedException {
        for (Dependency dep : plan.model().dependsOn()) {
            if (dep.condition() != Dependency.Condition.HEALTHY) {
                continue;
            }
            if (plans.get(dep.service()).health() == null) {
                throw new ComposeException(plan.model().where() + ": service " + plan.name() + " waits for " + dep.service()
                        + " to be healthy, but " + dep.service() + " has no healthcheck (add one, or use condition: service_started)");
            }
            progress.accept("waiting for " + dep.service() + " to be healthy");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (containers(dep.service()).stream().anyMatch(c -> !"healthy".equals(c.health()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(dep.service() + " did not become healthy within 5 minutes; see lab logs "
                            + dep.service());
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
        InetAddress ip = addresses.address(slots.get(plan.name()), number);
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
            // Without signals (Windows) the program listens on an inner address and the container's is a gate in front.
            InetAddress bind = platform.signals() ? ip : addresses.inner(slots.get(plan.name()), number);
            List<String> program = plan.program().stream().map(a -> resolve(plan, a, bind, hostname).replace("{number}",
                    String.valueOf(number))).toList();
            Map<String, String> env = new LinkedHashMap<>();
            plan.environment().forEach((k, v) -> env.put(k, resolve(plan, v, bind, hostname).replace("{number}",
                    String.valueOf(number))));
            env.put("HOSTNAME", hostname);
            List<InetSocketAddress[]> gated = null;
            if (!platform.signals()) {
                gated = new ArrayList<>();
                for (int p : plan.listenPorts()) {
                    int port = planner.listenPort(p);
                    gated.add(new InetSocketAddress[] {new InetSocketAddress(ip, port), new InetSocketAddress(bind, port)});
                }
            }
            SimContainer[] self = new SimContainer[1];
            c = new ProcessContainer(id, compose.project(), plan.name(), number, ip, labels, program, env,
                    plan.workingDirectory(), logs, code -> onExit(self[0], code), gated);
            self[0] = c;
        }
        containers.computeIfAbsent(plan.name(), k -> new CopyOnWriteArrayList<>()).add(c);
        c.start();
        if (c instanceof ProcessContainer pc) {
            ProcessHandle.of(pc.pid()).ifPresent(h -> ledger.record(h, c.name()));
        } else if (c instanceof DatabaseContainer db) {
            db.serverProcess().ifPresent(h -> ledger.record(h, c.name()));
        }
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
            publishPorts(plan);
        }
    }

    private void publishPorts(ServicePlan plan) throws IOException {
        List<SimContainer> cs = containers(plan.name());
        if (cs.isEmpty()) {
            return;
        }
        {
            for (ComposeFile.Port port : plan.service().ports()) {
                String hostIp = port.hostIp() == null || port.hostIp().equals("0.0.0.0") ? "127.0.0.1" : port.hostIp();
                int hostPort = port.hostPort() == 0 || options.anyHostPort() ? 0 : planner.listenPort(port.hostPort());
                InetSocketAddress target = new InetSocketAddress(cs.get(0).address(), planner.listenPort(port.containerPort()));
                try {
                    PortPublisher publisher = new PortPublisher(new InetSocketAddress(hostIp, hostPort), target);
                    published.computeIfAbsent(plan.name(), k -> new CopyOnWriteArrayList<>()).add(publisher);
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
        for (ServicePlan plan : plans.values()) {
            for (PortPublisher p : published.getOrDefault(plan.name(), List.of())) {
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

    /**
     * {@code docker compose up} on the running lab: the services whose definition changed in
     * {@code next} are stopped, removed and created again, new services start, removed ones stop and
     * go, a change of replicas alone scales; the others keep running. Everything is planned (and so
     * checked) before anything stops, so a file with a mistake changes nothing. Returns what it did,
     * a line per container, as compose prints it.
     */
    public synchronized List<String> apply(LabModel next) throws Exception {
        Planner nextPlanner = new Planner(next, options.repoRoot(), options.stateDir(), privileged, options.dockerEndpoint());
        Map<String, ServicePlan> nextPlans = new LinkedHashMap<>();
        nextPlanner.plan().forEach(p -> nextPlans.put(p.name(), p));
        List<String> lines = new ArrayList<>();
        List<String> recreate = new ArrayList<>();
        Map<String, Integer> rescale = new LinkedHashMap<>();
        for (String name : plans.keySet()) {
            ServicePlan before = plans.get(name);
            ServicePlan after = nextPlans.get(name);
            if (after == null) {
                for (SimContainer c : removeService(name)) {
                    lines.add(String.format("Container %-28s Removed", c.name()));
                }
            } else if (!sameDefinition(before, after)) {
                recreate.add(name);
            } else if (before.service().replicas() != after.service().replicas()) {
                rescale.put(name, after.service().replicas());
            }
        }
        Map<String, List<String>> before = new LinkedHashMap<>();
        for (String name : recreate) {
            before.put(name, removeService(name).stream().map(SimContainer::name).toList());
        }
        int nextSlot = slots.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        for (String name : nextPlans.keySet()) {
            if (!slots.containsKey(name)) {
                slots.put(name, nextSlot++);
            }
        }
        java.util.Set<String> existed = new java.util.HashSet<>(plans.keySet());
        current = next;
        planner = nextPlanner;
        plans.clear();
        plans.putAll(nextPlans);
        networks = new Networks(next);
        writeHostsFiles();
        for (String name : next.startOrder()) {
            boolean created = !existed.contains(name);
            if (!created && !before.containsKey(name)) {
                if (!rescale.containsKey(name)) {
                    containers(name).forEach(c -> lines.add(String.format("Container %-28s Running", c.name())));
                }
                continue;
            }
            ServicePlan plan = plans.get(name);
            waitForDependencies(plan);
            startReplicas(plan, 1, plan.service().replicas());
            publishPorts(plan);
            for (SimContainer c : containers(name)) {
                lines.add(String.format("Container %-28s %s", c.name(), created ? "Created" : "Recreated"));
            }
        }
        for (Map.Entry<String, Integer> e : rescale.entrySet()) {
            for (String c : scale(e.getKey(), e.getValue())) {
                lines.add(String.format("Container %-28s Scaled", c));
            }
        }
        progress.accept(compose.project() + ": applied " + next.compose().file().getFileName());
        return lines;
    }

    /** Whether a service runs the same containers in both plans: same definition, whatever its line or replica count. */
    private static boolean sameDefinition(ServicePlan a, ServicePlan b) {
        ComposeFile.Service x = a.service();
        ComposeFile.Service y = b.service();
        return a.kind() == b.kind() && a.program().equals(b.program()) && a.environment().equals(b.environment())
                && a.listenPorts().equals(b.listenPorts()) && a.initScripts().equals(b.initScripts())
                && java.util.Objects.equals(a.model().health(), b.model().health())
                && java.util.Objects.equals(x.image(), y.image()) && java.util.Objects.equals(x.build(), y.build())
                && x.command().equals(y.command()) && x.labels().equals(y.labels()) && x.ports().equals(y.ports())
                && x.expose().equals(y.expose()) && x.networks().equals(y.networks()) && x.dependsOn().equals(y.dependsOn())
                && java.util.Objects.equals(x.healthcheck(), y.healthcheck()) && x.volumes().equals(y.volumes())
                && a.model().environment().equals(b.model().environment());
    }

    /** Stops and removes every container of {@code service} and its published ports; returns the containers. */
    private List<SimContainer> removeService(String service) {
        List<PortPublisher> ports = published.remove(service);
        if (ports != null) {
            ports.forEach(PortPublisher::close);
        }
        List<SimContainer> gone = containers(service);
        stop(service, null);
        for (SimContainer c : gone) {
            options.docker().removed(c);
        }
        containers.remove(service);
        return gone;
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
                    (service, n) -> addresses.address(slots.get(service), n).getHostAddress()));
        }
    }

    /** {@code docker compose down}: stops everything, in reverse dependency order. */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        published.values().forEach(list -> list.forEach(PortPublisher::close));
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

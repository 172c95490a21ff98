package dev.switchboard.lab.topology;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Ports;
import dev.switchboard.lab.kit.KitJars;
import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.model.Dependency;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.model.ProxyModel;
import dev.switchboard.lab.model.ServiceModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.utility.LogUtils;

/**
 * A lab topology on a real Docker engine, started from the compose model with Testcontainers
 * ({@link ServiceContainer}s on {@link Network}s, images from {@link LabImages}) the way
 * {@code docker compose up --wait} would start it: one network {@code <project>_<network>} per
 * compose network, containers {@code <project>-<service>-<n>} with compose's labels and with the
 * service name as network alias, in {@code depends_on} order, then every health check passed.
 *
 * <p>Each grading has its own project name (the grader makes it unique), so parallel gradings on
 * one engine never see each other's containers: names, networks and volumes all carry it, and
 * published ports go to random free ports on 127.0.0.1 ({@link #published}) instead of the fixed
 * host ports the file names (two gradings would both want port 80).
 *
 * <p>The one change made to what the student wrote: a proxy whose Docker provider is on gets
 * {@code --providers.docker.constraints=Label(`com.docker.compose.project`,`<project>`)} (joined with
 * {@code &&} to a constraint of its own), because the provider reads every container of the engine,
 * and without it one grading's proxy would route to another grading's replicas. It also gets the
 * engine's socket, read-only, if its volumes do not already mount it (the simulated backend always
 * feeds it), so both backends grade the same file the same way.
 */
public final class ContainerTopology implements Topology {
    /** Compose's default {@code stop_grace_period}. */
    private static final int STOP_GRACE_SECONDS = 10;
    private static final Duration DEPENDENCY_PATIENCE = Duration.ofMinutes(5);
    private static final Duration HEALTH_PATIENCE = Duration.ofMinutes(3);
    private static final String SOCKET = "/var/run/docker.sock";
    /** Base images that CI (no registry) replaces by local stand-ins: build argument or variable, and the variable naming the stand-in. */
    private static final Map<String, String> STAND_INS = Map.of("JAVA_IMAGE", "SWITCHBOARD_JAVA_IMAGE",
            "MYSQL_IMAGE", "SWITCHBOARD_MYSQL_IMAGE", "DB_IMAGE", "SWITCHBOARD_MYSQL_IMAGE");

    private final LabModel model;
    private final ComposeFile compose;
    private final DockerClient docker;
    private final Consumer<String> progress;
    private final LabImages images;
    private final LabFiles files;
    private final String publishedHost;
    private final String bindAddress;
    private final Map<String, List<String>> commands;
    /** Services whose proxy reads the engine through the default socket: they get it mounted if the file forgot. */
    private final Set<String> needSocket;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final List<String> volumes = new ArrayList<>();
    private final Map<String, String> imageOf = new ConcurrentHashMap<>();
    private final Map<String, Set<Integer>> containerPorts = new ConcurrentHashMap<>();
    /** Replicas by service, in number order; guarded by {@code this}. */
    private final Map<String, List<ServiceContainer>> containers = new LinkedHashMap<>();
    /** Host ports by container id, filled on first use, dropped when the container stops. */
    private final Map<String, Map<Integer, Integer>> hostPorts = new ConcurrentHashMap<>();
    /** {@link #published} by "service:port" (asked for every request a check sends), dropped when the service changes. */
    private final Map<String, URI> publishedUrls = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "containers");
        t.setDaemon(true);
        return t;
    });
    private final Thread shutdownHook = new Thread(this::close, "containers-down");
    private volatile boolean closed;

    private ContainerTopology(Path root, LabModel model, DockerClient docker, Map<String, String> standIns,
            Map<String, List<String>> commands, Set<String> needSocket, String traefikImage, Consumer<String> progress) {
        this.model = model;
        this.compose = model.compose();
        this.docker = docker;
        this.progress = progress;
        this.commands = commands;
        this.needSocket = needSocket;
        this.images = new LabImages(root, docker, standIns, traefikImage, progress);
        this.files = new LabFiles(compose.directory());
        this.publishedHost = DockerEngine.publishedHost();
        this.bindAddress = DockerEngine.bindAddress();
    }

    /**
     * Starts {@code compose} on the Docker engine and returns when every container with a health check
     * is healthy (or after a few minutes, saying which are not). No engine is a
     * {@link BackendException}; a file that cannot run is a {@link ComposeException}.
     */
    public static ContainerTopology start(Path root, ComposeFile compose, Consumer<String> progress) throws Exception {
        return start(root, compose, progress, TopologyOptions.DEFAULT);
    }

    /** As above, with the proxy's profile or the official Traefik image in place of Switchboard's proxy. */
    public static ContainerTopology start(Path root, ComposeFile compose, Consumer<String> progress, TopologyOptions options)
            throws Exception {
        return start(root, LabModel.of(compose, options.profile()), progress, System.getenv(), options.traefikImage());
    }

    static ContainerTopology start(Path root, LabModel model, Consumer<String> progress, Map<String, String> env,
            String traefikImage) throws Exception {
        Map<String, List<String>> commands = new HashMap<>();
        Set<String> needSocket = new java.util.HashSet<>();
        for (ServiceModel s : model.services()) {
            if (s.isProxy()) {
                ProxyModel p = s.proxy().orElseThrow();
                commands.put(s.name(), p.flagsSeeingOnly(model.project()));
                if (p.readsDefaultDockerSocket()) {
                    needSocket.add(s.name());
                }
            } else {
                commands.put(s.name(), s.service().command());
            }
        }
        DockerClient docker = DockerEngine.connect(env.get("DOCKER_HOST"));
        buildKitJars(root, model.compose(), progress);
        ContainerTopology topology = new ContainerTopology(root, model, docker, standIns(env), commands, needSocket,
                traefikImage, progress);
        Runtime.getRuntime().addShutdownHook(topology.shutdownHook);
        try {
            topology.up(model.startOrder());
        } catch (Exception | Error e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    /**
     * The variables a compose file is interpolated with for this backend: as compose would, plus the
     * stand-in base images CI names ({@code SWITCHBOARD_JAVA_IMAGE} as {@code JAVA_IMAGE},
     * {@code SWITCHBOARD_MYSQL_IMAGE} as {@code MYSQL_IMAGE} and {@code DB_IMAGE}) unless the
     * environment sets those itself, so {@code ${JAVA_IMAGE:-eclipse-temurin:17-jre}} needs no registry there.
     */
    public static Map<String, String> interpolation(Path composeFile) {
        Map<String, String> env = ComposeParser.environment(composeFile);
        Map<String, String> process = System.getenv();
        standIns(process).forEach((variable, image) -> {
            if (!process.containsKey(variable)) {
                env.put(variable, image);
            }
        });
        return env;
    }

    private static Map<String, String> standIns(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        STAND_INS.forEach((arg, variable) -> {
            String image = env.get(variable);
            if (image != null && !image.isBlank()) {
                out.put(arg, image.trim());
            }
        });
        return out;
    }

    /** The kit's jars the images copy (proxy, producer...), built once with the Maven wrapper if missing. */
    private static void buildKitJars(Path root, ComposeFile compose, Consumer<String> progress) {
        Path kit = root.toAbsolutePath().normalize();
        Map<String, ComposeFile.Service> kitBuilds = new LinkedHashMap<>();
        compose.services().forEach((name, s) -> {
            if (s.build() != null && s.build().context().startsWith(kit)) {
                kitBuilds.put(name, s);
            }
        });
        KitJars builder = new KitJars(root, progress);
        try {
            builder.build(builder.missing(new ComposeFile(compose.file(), compose.project(), kitBuilds, compose.networks(),
                    compose.volumes())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while building the kit's jars", e);
        } catch (ComposeException e) {
            throw e;
        } catch (Exception e) {
            throw new BackendException("the kit's jars are missing and building them failed: " + e.getMessage(), e);
        }
    }

    // ---- up --------------------------------------------------------------------------------------------------

    private void up(List<String> order) throws Exception {
        long start = System.nanoTime();
        for (ComposeFile.Service s : compose.services().values()) {
            String image = images.imageOf(model.service(s.name()));
            imageOf.put(s.name(), image);
            Set<Integer> ports = new TreeSet<>();
            s.ports().forEach(p -> ports.add(p.containerPort()));
            ports.addAll(s.expose());
            var exposed = docker.inspectImageCmd(image).exec().getConfig().getExposedPorts();
            if (exposed != null) {
                for (ExposedPort p : exposed) {
                    if (p.getProtocol() == com.github.dockerjava.api.model.InternetProtocol.TCP) {
                        ports.add(p.getPort());
                    }
                }
            }
            containerPorts.put(s.name(), ports);
        }
        createNetworksAndVolumes();
        Map<String, CompletableFuture<Void>> started = new LinkedHashMap<>();
        for (String name : order) {
            ComposeFile.Service s = compose.services().get(name);
            ServiceModel m = model.service(name);
            CompletableFuture<?>[] deps = m.dependsOn().stream().map(d -> started.get(d.service())).toArray(CompletableFuture[]::new);
            started.put(name, CompletableFuture.allOf(deps).thenRunAsync(() -> {
                try {
                    awaitDependencies(m);
                    progress.accept("starting " + name + (s.replicas() > 1 ? " (" + s.replicas() + " replicas)" : ""));
                    startReplicas(s, 1, s.replicas());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, pool));
        }
        Throwable failure = null;
        for (CompletableFuture<Void> f : started.values()) {
            try {
                f.join();
            } catch (CompletionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
        }
        if (failure != null) {
            rethrow(failure);
        }
        List<String> unhealthy = awaitHealthy(HEALTH_PATIENCE);
        if (!unhealthy.isEmpty()) {
            progress.accept("not healthy: " + String.join(", ", unhealthy) + "; grading anyway");
        }
        progress.accept(compose.project() + " is up (containers) in " + seconds(start) + " s");
        // The proxy applies Docker events after its providers throttle (Traefik's 2 s): let it see the last health changes.
        Thread.sleep(model.providersSettle().toMillis());
    }

    private static void rethrow(Throwable failure) throws Exception {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof Exception e) {
            throw e;
        }
        throw (Error) t;
    }

    private void createNetworksAndVolumes() {
        Set<String> used = new LinkedHashSet<>();
        for (ComposeFile.Service s : compose.services().values()) {
            used.addAll(s.networks().isEmpty() ? List.of("default") : s.networks());
        }
        for (String n : used) {
            String name = compose.project() + "_" + n;
            Network network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(name)
                    .withLabels(Map.of("com.docker.compose.project", compose.project(), "com.docker.compose.network", n)))
                    .build();
            network.getId();
            networks.put(n, network);
        }
        for (String v : compose.volumes()) {
            String name = compose.project() + "_" + v;
            docker.createVolumeCmd().withName(name)
                    .withLabels(Map.of("com.docker.compose.project", compose.project(), "com.docker.compose.volume", v)).exec();
            volumes.add(name);
        }
    }

    private void startReplicas(ComposeFile.Service s, int first, int last) throws Exception {
        List<Future<ServiceContainer>> starting = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            int number = n;
            starting.add(pool.submit(() -> startContainer(s, number)));
        }
        Exception failure = null;
        for (Future<ServiceContainer> f : starting) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure == null && e.getCause() instanceof Exception c ? c : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private ServiceContainer startContainer(ComposeFile.Service s, int number) {
        String name = compose.project() + "-" + s.name() + "-" + number;
        ServiceContainer c = new ServiceContainer(imageOf.get(s.name()), s.name(), number, name);
        List<String> command = commands.get(s.name());
        if (!command.isEmpty()) {
            c.withCommand(command.toArray(String[]::new));
        }
        c.withEnv(model.service(s.name()).environment());
        Map<String, String> labels = new LinkedHashMap<>(s.labels());
        labels.put("com.docker.compose.project", compose.project());
        labels.put("com.docker.compose.service", s.name());
        labels.put("com.docker.compose.container-number", String.valueOf(number));
        labels.put("com.docker.compose.oneoff", "False");
        labels.put("com.docker.compose.project.config_files", compose.file().toString());
        labels.put("com.docker.compose.project.working_dir", compose.directory().toString());
        c.withLabels(labels);
        List<String> aliases = new ArrayList<>(List.of(s.name(), name));
        if (s.containerName() != null && !s.containerName().isBlank()) {
            // Not the container's name: two gradings would both want it. Still reachable by it.
            aliases.add(s.containerName());
        }
        List<String> joined = s.networks().isEmpty() ? List.of("default") : s.networks();
        c.withNetwork(networks.get(joined.get(0))).withNetworkAliases(aliases.toArray(String[]::new));
        for (String n : joined.subList(1, joined.size())) {
            c.alsoOn(networks.get(n), aliases);
        }
        List<Bind> binds = binds(s);
        Set<Integer> ports = containerPorts.get(s.name());
        c.withCreateContainerCmdModifier(cmd -> {
            cmd.withName(name);
            Ports bindings = new Ports();
            for (int p : ports) {
                bindings.bind(ExposedPort.tcp(p), Ports.Binding.bindIp(bindAddress));
            }
            cmd.withExposedPorts(ports.stream().map(ExposedPort::tcp).toList());
            cmd.getHostConfig().withPortBindings(bindings).withBinds(binds);
            if (s.healthcheck() != null) {
                cmd.withHealthcheck(healthCheck(s.healthcheck()));
            }
        });
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the topology is closing");
            }
            List<ServiceContainer> list = containers.computeIfAbsent(s.name(), k -> new ArrayList<>());
            list.add(c);
            list.sort(Comparator.comparingInt(ServiceContainer::number));
        }
        try {
            c.start();
        } catch (RuntimeException e) {
            synchronized (this) {
                containers.get(s.name()).remove(c);
            }
            throw new IllegalStateException(name + " did not start: " + DockerEngine.causes(e), e);
        }
        return c;
    }

    private List<Bind> binds(ComposeFile.Service s) {
        List<Bind> binds = new ArrayList<>();
        boolean socket = false;
        for (ComposeFile.Volume v : s.volumes()) {
            AccessMode mode = v.readOnly() ? AccessMode.ro : AccessMode.rw;
            String source;
            if (v.named()) {
                source = compose.project() + "_" + v.source();
            } else if (v.source().equals(SOCKET)) {
                source = DockerEngine.socketPath();
                socket |= v.target().equals(SOCKET);
            } else if (v.source().startsWith("~")) {
                source = Path.of(System.getProperty("user.home") + v.source().substring(1)).normalize().toString();
            } else {
                source = compose.directory().resolve(v.source()).normalize().toString();
            }
            binds.add(new Bind(source, new com.github.dockerjava.api.model.Volume(v.target()), mode));
        }
        if (!socket && needSocket.contains(s.name())) {
            binds.add(new Bind(DockerEngine.socketPath(), new com.github.dockerjava.api.model.Volume(SOCKET), AccessMode.ro));
        }
        return binds;
    }

    private static HealthCheck healthCheck(ComposeFile.HealthCheck h) {
        if (h.disabled() || h.test().isEmpty()) {
            return new HealthCheck().withTest(List.of("NONE"));
        }
        return new HealthCheck().withTest(h.test()).withInterval(h.interval().toNanos()).withTimeout(h.timeout().toNanos())
                .withRetries(h.retries()).withStartPeriod(h.startPeriod().toNanos());
    }

    /** Compose's {@code depends_on} conditions: started (already), healthy, or completed successfully. */
    private void awaitDependencies(ServiceModel s) throws InterruptedException {
        for (Dependency dep : s.dependsOn()) {
            if (dep.condition() == Dependency.Condition.STARTED) {
                continue;
            }
            boolean healthy = dep.condition() == Dependency.Condition.HEALTHY;
            progress.accept("waiting for " + dep.service() + (healthy ? " to be healthy" : " to complete"));
            long deadline = System.nanoTime() + DEPENDENCY_PATIENCE.toNanos();
            while (true) {
                boolean ready = true;
                for (ServiceContainer c : containers(dep.service())) {
                    InspectContainerResponse.ContainerState state = inspect(c).getState();
                    boolean running = Boolean.TRUE.equals(state.getRunning());
                    if (healthy) {
                        if (state.getHealth() == null) {
                            throw new ComposeException(s.where() + ": service " + s.name() + " waits for " + dep.service()
                                    + " to be healthy, but " + dep.service() + " has no healthcheck (add one, or use condition: service_started)");
                        }
                        String status = state.getHealth().getStatus();
                        if (!running || "unhealthy".equals(status)) {
                            throw new ComposeException("service " + s.name() + " waits for " + dep.service() + " to be healthy, but "
                                    + c.name() + " is " + (running ? "unhealthy" : "not running (exit code " + state.getExitCodeLong() + ")")
                                    + ": " + lastWords(c, state));
                        }
                        ready &= "healthy".equals(status);
                    } else if (running) {
                        ready = false;
                    } else if (state.getExitCodeLong() == null || state.getExitCodeLong() != 0) {
                        throw new ComposeException("service " + s.name() + " waits for " + dep.service() + " to complete successfully, but "
                                + c.name() + " exited with code " + state.getExitCodeLong() + ": " + lastWords(c, state));
                    }
                }
                if (ready) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new BackendException(dep.service() + " was not " + (healthy ? "healthy" : "done") + " after "
                            + DEPENDENCY_PATIENCE.toMinutes() + " minutes (a slow or overloaded machine?); its output ends: "
                            + lastWords(containers(dep.service()).get(0), null));
                }
                Thread.sleep(500);
            }
        }
    }

    /** The last health check output and the last lines of a container's output, for messages. */
    private String lastWords(ServiceContainer c, InspectContainerResponse.ContainerState state) {
        StringBuilder b = new StringBuilder();
        if (state != null && state.getHealth() != null && state.getHealth().getLog() != null && !state.getHealth().getLog().isEmpty()) {
            HealthStateLog last = state.getHealth().getLog().get(state.getHealth().getLog().size() - 1);
            b.append("health check said \"").append(last.getOutput() == null ? "" : last.getOutput().strip()).append("\"; ");
        }
        String[] lines = output(c).split("\n");
        b.append(String.join(" / ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 5), lines.length)).strip());
        return b.toString();
    }

    /** Like {@code docker compose up --wait}: until every running container with a health check is healthy, or {@code patience} ends. */
    private List<String> awaitHealthy(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean said = false;
        while (true) {
            List<String> waiting = new ArrayList<>();
            List<String> unhealthy = new ArrayList<>();
            for (ServiceContainer c : allContainers()) {
                InspectContainerResponse.ContainerState state = inspect(c).getState();
                if (!Boolean.TRUE.equals(state.getRunning()) || state.getHealth() == null) {
                    continue;
                }
                String status = state.getHealth().getStatus();
                if ("unhealthy".equals(status)) {
                    unhealthy.add(c.name() + " (unhealthy)");
                } else if (!"healthy".equals(status)) {
                    waiting.add(c.name() + " (" + status + ")");
                }
            }
            if (waiting.isEmpty() || System.nanoTime() > deadline) {
                unhealthy.addAll(waiting);
                return unhealthy;
            }
            if (!said) {
                progress.accept("waiting for health checks: " + String.join(", ", waiting));
                said = true;
            }
            Thread.sleep(500);
        }
    }

    // ---- Topology ----------------------------------------------------------------------------------------------

    @Override
    public String backend() {
        return "containers";
    }

    @Override
    public ComposeFile compose() {
        return compose;
    }

    @Override
    public URI published(String service, int containerPort) {
        URI known = publishedUrls.get(service + ":" + containerPort);
        if (known != null) {
            return known;
        }
        ComposeFile.Service s = service(service);
        if (s.ports().stream().noneMatch(p -> p.containerPort() == containerPort)) {
            throw new IllegalArgumentException("service " + service + " publishes no port " + containerPort);
        }
        List<ServiceContainer> replicas = containers(service);
        ServiceContainer c = replicas.stream().filter(this::running).findFirst()
                .orElseGet(() -> replicas.isEmpty() ? null : replicas.get(0));
        if (c == null) {
            throw new IllegalStateException("service " + service + " has no container");
        }
        URI url = URI.create("http://" + publishedHost + ":" + hostPort(c, containerPort));
        publishedUrls.put(service + ":" + containerPort, url);
        return url;
    }

    private void changed(String service, ServiceContainer c) {
        publishedUrls.keySet().removeIf(k -> k.startsWith(service + ":"));
        if (c != null && c.getContainerId() != null) {
            hostPorts.remove(c.getContainerId());
        }
    }

    @Override
    public InetSocketAddress direct(String service, int replica, int containerPort) {
        ServiceContainer c = container(service, replica);
        if (!containerPorts.getOrDefault(service, Set.of()).contains(containerPort)) {
            throw new IllegalArgumentException("service " + service + " has no port " + containerPort + " that can be reached "
                    + "directly (ports: " + containerPorts.get(service) + ")");
        }
        return new InetSocketAddress(publishedHost, hostPort(c, containerPort));
    }

    private int hostPort(ServiceContainer c, int containerPort) {
        Map<Integer, Integer> ports = hostPorts.computeIfAbsent(c.getContainerId(), id -> {
            Map<Integer, Integer> found = new HashMap<>();
            Map<ExposedPort, Ports.Binding[]> bindings = inspect(c).getNetworkSettings().getPorts().getBindings();
            bindings.forEach((exposed, b) -> {
                if (b != null && b.length > 0 && b[0].getHostPortSpec() != null) {
                    found.put(exposed.getPort(), Integer.parseInt(b[0].getHostPortSpec()));
                }
            });
            return found;
        });
        Integer port = ports.get(containerPort);
        if (port == null) {
            hostPorts.remove(c.getContainerId());
            throw new IllegalStateException(c.name() + " is not running, so its port " + containerPort + " is not published");
        }
        return port;
    }

    @Override
    public List<Integer> replicas(String service) {
        service(service);
        return containers(service).stream().map(ServiceContainer::number).toList();
    }

    @Override
    public void kill(String service, int replica) {
        ServiceContainer c = container(service, replica);
        changed(service, c);
        ignoringState(() -> docker.killContainerCmd(c.getContainerId()).exec());
    }

    @Override
    public void stop(String service, int replica) {
        ServiceContainer c = container(service, replica);
        changed(service, c);
        ignoringState(() -> docker.stopContainerCmd(c.getContainerId()).withTimeout(STOP_GRACE_SECONDS).exec());
    }

    @Override
    public void pause(String service, int replica) {
        ServiceContainer c = container(service, replica);
        ignoringState(() -> docker.pauseContainerCmd(c.getContainerId()).exec());
    }

    @Override
    public void unpause(String service, int replica) {
        ServiceContainer c = container(service, replica);
        ignoringState(() -> docker.unpauseContainerCmd(c.getContainerId()).exec());
    }

    /** Docker refuses to kill a stopped container or pause a paused one; like the simulation, that is no error here. */
    private static void ignoringState(Runnable command) {
        try {
            command.run();
        } catch (ConflictException | NotModifiedException e) {
            // already in that state
        }
    }

    /** {@code docker compose up --scale}: new replicas take the next numbers; the highest numbers stop (gracefully) and go. */
    @Override
    public void scale(String service, int replicas) {
        ComposeFile.Service s = service(service);
        if (replicas < 0 || replicas > 50) {
            throw new IllegalArgumentException("replicas must be between 0 and 50");
        }
        List<ServiceContainer> now = containers(service);
        try {
            if (replicas > now.size()) {
                int next = now.stream().mapToInt(ServiceContainer::number).max().orElse(0) + 1;
                startReplicas(s, next, next + replicas - now.size() - 1);
                changed(service, null);
            } else {
                List<ServiceContainer> extra = now.subList(replicas, now.size());
                List<Future<?>> stopping = new ArrayList<>();
                for (ServiceContainer c : extra) {
                    stopping.add(pool.submit(() -> {
                        changed(service, c);
                        ignoringState(() -> docker.stopContainerCmd(c.getContainerId()).withTimeout(STOP_GRACE_SECONDS).exec());
                        c.stop();
                        synchronized (this) {
                            containers.get(service).remove(c);
                        }
                    }));
                }
                for (Future<?> f : stopping) {
                    f.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scaling " + service + " was interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("scaling " + service + " to " + replicas + " failed: " + DockerEngine.causes(e), e);
        }
    }

    /** Each replica's output, every line prefixed with the container's name, as {@code docker compose logs} shows it. */
    @Override
    public String logs(String service) {
        service(service);
        StringBuilder out = new StringBuilder();
        for (ServiceContainer c : containers(service)) {
            for (String line : output(c).split("\n")) {
                if (!line.isEmpty()) {
                    out.append(c.name()).append(" | ").append(line).append('\n');
                }
            }
        }
        return out.toString();
    }

    private String output(ServiceContainer c) {
        try {
            return LogUtils.getOutput(docker, c.getContainerId(), OutputFrame.OutputType.STDOUT, OutputFrame.OutputType.STDERR);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** {@code docker cp} of one regular file out of the container (running or not). */
    @Override
    public Optional<String> file(String service, int replica, String containerPath) {
        ServiceContainer c = container(service, replica);
        try (InputStream in = docker.copyArchiveFromContainerCmd(c.getContainerId(), containerPath).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry = tar.getNextEntry();
            if (entry == null || !entry.isFile()) {
                return Optional.empty();
            }
            return Optional.of(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("reading " + containerPath + " from " + c.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** The compose file's folder is bind-mounted from this machine: writing there is what the containers see. */
    @Override
    public void writeFile(String relativePathInLabDir, String content) {
        files.write(relativePathInLabDir, content);
    }

    /** {@code docker compose down --volumes}: every container, the networks and the named volumes of this run. */
    @Override
    public void close() {
        List<ServiceContainer> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = allContainers();
            containers.clear();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // closing from the hook itself, during shutdown
        }
        long start = System.nanoTime();
        List<Future<?>> removing = new ArrayList<>();
        for (ServiceContainer c : all) {
            removing.add(pool.submit(c::stop));
        }
        for (Future<?> f : removing) {
            try {
                f.get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                progress.accept("removing a container failed: " + DockerEngine.causes(e));
            }
        }
        networks.values().forEach(n -> {
            try {
                n.close();
            } catch (RuntimeException e) {
                progress.accept("removing a network failed: " + DockerEngine.causes(e));
            }
        });
        for (String v : volumes) {
            try {
                docker.removeVolumeCmd(v).exec();
            } catch (RuntimeException e) {
                progress.accept("removing volume " + v + " failed: " + DockerEngine.causes(e));
            }
        }
        files.restore();
        pool.shutdownNow();
        progress.accept(compose.project() + " removed (" + all.size() + " containers) in " + seconds(start) + " s");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private ComposeFile.Service service(String service) {
        ComposeFile.Service s = compose.services().get(service);
        if (s == null) {
            throw new IllegalArgumentException("no service \"" + service + "\" in " + compose.file().getFileName()
                    + " (services: " + String.join(", ", compose.services().keySet()) + ")");
        }
        return s;
    }

    private synchronized List<ServiceContainer> containers(String service) {
        List<ServiceContainer> list = containers.get(service);
        return list == null ? List.of() : List.copyOf(list);
    }

    private synchronized List<ServiceContainer> allContainers() {
        return containers.values().stream().flatMap(List::stream).toList();
    }

    private ServiceContainer container(String service, int replica) {
        service(service);
        return containers(service).stream().filter(c -> c.number() == replica).findFirst().orElseThrow(() ->
                new IllegalArgumentException("service " + service + " has no replica " + replica + " (replicas: "
                        + replicas(service) + ")"));
    }

    private InspectContainerResponse inspect(ServiceContainer c) {
        return docker.inspectContainerCmd(c.getContainerId()).exec();
    }

    private boolean running(ServiceContainer c) {
        try {
            return Boolean.TRUE.equals(inspect(c).getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9);
    }
}

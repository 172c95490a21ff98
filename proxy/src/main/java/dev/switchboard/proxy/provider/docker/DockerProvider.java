package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.provider.Provider;
import dev.switchboard.proxy.provider.ProviderConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traefik's Docker provider: reads every container from the Docker engine, builds the dynamic
 * configuration from their labels ({@link DockerConfigBuilder}) and follows the engine's events.
 *
 * <p>By default it reacts as Traefik v3.2 ({@code pkg/provider/docker/pdocker.go}): only
 * {@code start}, {@code die} and {@code health_status} events make it re-read the containers, and
 * a container is a server while Docker says it runs ({@code State.Running}, so also while paused)
 * and its healthcheck, if any, says {@code healthy}. During a {@code docker stop} (SIGTERM, up to
 * 10 s of shutdown, then {@code die}) the container stays a server until {@code die}; the new
 * configuration then goes through {@code providersThrottleDuration} like any other.
 *
 * <p>With {@code eventsAtOnce} (Switchboard only) it takes a container out of rotation on the
 * first sign it is going away ({@code kill} with a signal that ends a process, {@code stop},
 * {@code pause}, {@code die}), from the containers it already knows and without waiting for a
 * re-read, keeps a paused container out, and puts it back on {@code start} or {@code unpause}.
 *
 * <p>Either way it subscribes to events before listing containers, so nothing that happens in
 * between is missed; when the event stream breaks it says so and reconnects with exponential
 * backoff (0.5 s doubling to 30 s), then re-reads everything.
 */
public final class DockerProvider implements Provider {
    public static final String NAME = "docker";
    private static final Logger LOG = LoggerFactory.getLogger(DockerProvider.class);
    private static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long a container stays out after a {@code kill} that did not end it (a signal it traps). */
    private static final Duration DOWN_HOLD = Duration.ofMinutes(2);
    /** Signals that ask a process to reload or report rather than to end: such a {@code kill} keeps the container. */
    private static final Set<String> NON_TERMINATING_SIGNALS = Set.of("1", "HUP", "10", "USR1", "12", "USR2", "17", "CHLD",
            "18", "CONT", "23", "URG", "28", "WINCH", "0");

    private final StaticConfig.DockerProvider config;
    private final DockerEndpoint endpoint;
    private DockerConfigBuilder builder;
    private final Duration backoffStart;
    private final boolean eventsAtOnce;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "docker-provider");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> goingDown = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile boolean running;
    private volatile DockerClient client;
    private volatile DockerClient.OpenEvents events;
    private volatile List<DockerConfigBuilder.Warning> warnings = List.of();
    private Thread eventThread;
    private Listener listener;
    // Touched on the worker thread only.
    private Map<String, DockerContainer> containers = new LinkedHashMap<>();
    private DynamicConfig lastDelivered;
    private Set<String> loggedWarnings = Set.of();
    private String selfId;
    private boolean selfLooked;

    /** Events handled as Traefik v3.2 handles them. */
    public DockerProvider(StaticConfig.DockerProvider config) {
        this(config, false);
    }

    /** {@code eventsAtOnce}: take a container out on its Docker event at once, and a paused one too (Switchboard only). */
    public DockerProvider(StaticConfig.DockerProvider config, boolean eventsAtOnce) {
        this(config, INITIAL_BACKOFF, eventsAtOnce);
    }

    /** With a shorter first reconnect delay, for tests of the reconnect path. */
    DockerProvider(StaticConfig.DockerProvider config, Duration backoffStart, boolean eventsAtOnce) {
        this.eventsAtOnce = eventsAtOnce;
        this.config = config;
        this.endpoint = DockerEndpoint.parse(config.endpoint());
        this.backoffStart = backoffStart;
    }

    /**
     * Checks the options at start-up: the endpoint. A {@code defaultRule} that does not parse stops
     * only this provider when it starts, and bad {@code constraints} leave every container out, as
     * in Traefik v3.2 (see {@link #start}).
     */
    public static void validate(StaticConfig.DockerProvider config) {
        DockerEndpoint.parse(config.endpoint());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The warnings of the last configuration built, one per problem (for the API and tests). */
    public List<DockerConfigBuilder.Warning> warnings() {
        return warnings;
    }

    /**
     * Connects and delivers the first configuration before returning when the engine answers
     * within a few seconds; otherwise reports why and keeps trying in the background.
     */
    @Override
    public void start(Listener listener) throws Exception {
        this.listener = listener;
        try {
            this.builder = new DockerConfigBuilder(DockerConfigBuilder.Options.of(config).pausedIsStopped(eventsAtOnce));
        } catch (dev.switchboard.proxy.config.ConfigException e) {
            // Traefik: "Error while initializing provider *docker.Provider" (its Init parses the template), and it runs without it.
            LOG.error("Error while initializing provider docker: {}; the Docker provider does not start, the other providers "
                    + "keep serving", e.getMessage());
            return;
        }
        this.client = new DockerClient(endpoint, config.httpClientTimeout(), config.username(), config.password()).start();
        running = true;
        eventThread = new Thread(this::connectLoop, "docker-provider-events");
        eventThread.setDaemon(true);
        eventThread.start();
        if (!firstAttempt.await(15, TimeUnit.SECONDS)) {
            LOG.warn("docker provider: the Docker engine at {} has not answered within 15 s; starting without its containers "
                    + "and still trying", endpoint);
        }
    }

    private void connectLoop() {
        Duration backoff = backoffStart;
        boolean everConnected = false;
        int failures = 0;
        while (running) {
            boolean connected = false;
            try {
                DockerClient.ServerVersion version = client.version();
                if (config.watch()) {
                    events = client.openEvents();
                }
                onWorker(this::relist);
                connected = true;
                if (everConnected) {
                    LOG.info("docker provider: reconnected to the Docker engine at {}; containers re-read", endpoint);
                } else {
                    LOG.info("docker provider: connected to Docker {} (API {}) at {}", version.version(), client.apiPrefix().substring(2),
                            endpoint);
                }
                everConnected = true;
                failures = 0;
                backoff = backoffStart;
                firstAttempt.countDown();
                if (!config.watch()) {
                    return;
                }
                events.read(this::onEvent);
                if (running) {
                    LOG.warn("docker provider: the Docker engine at {} closed the event stream; reconnecting in {} ms", endpoint,
                            backoff.toMillis());
                }
            } catch (IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                failures++;
                String why = e.getMessage();
                if (connected) {
                    LOG.warn("docker provider: lost the event stream from the Docker engine at {} ({}); reconnecting in {} ms",
                            endpoint, why, backoff.toMillis());
                } else if (failures == 1) {
                    listener.failed(NAME, why + hint(e) + "; retrying with backoff");
                } else if (Integer.bitCount(failures) == 1) {
                    LOG.warn("docker provider: still cannot reach the Docker engine at {} after {} attempts ({}); retrying in {} ms",
                            endpoint, failures, why, backoff.toMillis());
                }
                firstAttempt.countDown();
            } finally {
                DockerClient.OpenEvents open = events;
                if (open != null) {
                    open.close();
                    events = null;
                }
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private String hint(Exception e) {
        if (e instanceof DockerClient.DockerException de && de.status() != 0) {
            return "";
        }
        if (endpoint.isUnix()) {
            return ": is the Docker socket mounted into the proxy's container (volumes: - /var/run/docker.sock:/var/run/docker.sock)"
                    + " and is Docker running?";
        }
        return ": is the engine listening there (dockerd -H tcp://0.0.0.0:2375, or a socket proxy)?";
    }

    /** Reacts to one event: as Traefik, or with {@code eventsAtOnce} taking a container out at once when it is going away. */
    void onEvent(DockerEvent event) {
        if (!event.type().equals("container") || event.actorId().isEmpty()) {
            return;
        }
        if (!eventsAtOnce) {
            // Traefik v3.2: event.Action == "start" || "die" || HasPrefix(action, "health_status") re-lists.
            String verb = event.verb();
            if (verb.equals("start") || verb.equals("die") || verb.equals("health_status")) {
                requestRelist();
            }
            return;
        }
        String id = event.actorId();
        switch (event.verb()) {
            case "kill" -> {
                String signal = event.attribute("signal");
                String sig = signal == null ? "" : signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
                if (!NON_TERMINATING_SIGNALS.contains(sig)) {
                    goDown(id, event);
                }
            }
            case "stop", "die", "pause", "oom" -> goDown(id, event);
            case "start", "unpause", "restart" -> {
                goingDown.remove(id);
                requestRelist();
            }
            case "health_status", "destroy", "rename", "update" -> requestRelist();
            default -> {
                // create, attach, exec_*, top, resize...: nothing routing depends on
            }
        }
    }

    private void goDown(String id, DockerEvent event) {
        boolean known = goingDown.putIfAbsent(id, System.nanoTime()) == null;
        if (known) {
            LOG.debug("docker provider: container {} is going away ({}); taking it out of rotation now",
                    event.attribute("name") == null ? id : event.attribute("name"), event.action());
            worker.execute(this::deliver);
            worker.schedule(this::requestRelist, DOWN_HOLD.toMillis() + 1000, TimeUnit.MILLISECONDS);
        }
        requestRelist();
    }

    /** Re-reads the containers once for any number of events that arrive while one read is pending. */
    private void requestRelist() {
        if (refreshPending.compareAndSet(false, true)) {
            worker.execute(() -> {
                refreshPending.set(false);
                try {
                    relist();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("docker provider: cannot read the containers from {}: {}", endpoint, e.getMessage());
                }
            });
        }
    }

    /** Lists and inspects every container, then builds and delivers. Worker thread. */
    private void relist() throws IOException {
        List<DockerContainer> read = client.containers();
        Map<String, DockerContainer> byId = new LinkedHashMap<>();
        read.forEach(c -> byId.put(c.id(), c));
        long now = System.nanoTime();
        goingDown.entrySet().removeIf(e -> {
            DockerContainer c = byId.get(e.getKey());
            // The engine's state has caught up (exited, paused, gone), or the kill did not end it.
            return c == null || !c.isRunning() || now - e.getValue() > DOWN_HOLD.toNanos();
        });
        containers = byId;
        if (!selfLooked) {
            selfLooked = true;
            selfId = findSelf(read);
        }
        deliver();
    }

    /**
     * The container this proxy runs in, if any: Docker makes a container's hostname the first 12
     * characters of its id unless the compose file sets one.
     */
    private String findSelf(List<DockerContainer> read) {
        String hostname = System.getenv("HOSTNAME");
        if (hostname == null || hostname.length() < 12 || !hostname.matches("[0-9a-f]+")) {
            return null;
        }
        for (DockerContainer c : read) {
            if (c.id().startsWith(hostname)) {
                LOG.info("docker provider: the proxy runs in container {} (networks {}): containers are reached on a network they share with it",
                        c.name(), String.join(", ", c.networks().keySet()));
                return c.id();
            }
        }
        return null;
    }

    /** Builds from the containers known and sends the configuration if it changed. Worker thread. */
    private void deliver() {
        DockerConfigBuilder.Result result = builder.build(containers.values(), new HashSet<>(goingDown.keySet()), selfId);
        warnings = result.warnings();
        Set<String> lines = new HashSet<>();
        for (DockerConfigBuilder.Warning w : result.warnings()) {
            String line = w.line();
            lines.add(line);
            if (!loggedWarnings.contains(line)) {
                LOG.warn("docker provider: {}", line);
            }
        }
        loggedWarnings = lines;
        if (!result.config().equals(lastDelivered)) {
            lastDelivered = result.config();
            if (LOG.isDebugEnabled()) {
                result.config().http().services().forEach((name, service) -> LOG.debug("docker provider: service {} ({}): {}", name,
                        result.sources().get("services/" + name), service instanceof Service.LoadBalancer lb
                                ? lb.servers().stream().map(Service.Server::url).toList() : service));
            }
            Map<String, String> sources = result.sources();
            listener.update(new ProviderConfig(NAME, result.config(), (section, name) -> sources.get(section + "/" + name)));
        }
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private void onWorker(IoTask task) throws IOException {
        try {
            worker.submit(() -> {
                task.run();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    @Override
    public void close() {
        running = false;
        DockerClient.OpenEvents open = events;
        if (open != null) {
            open.close();
        }
        if (eventThread != null) {
            eventThread.interrupt();
        }
        worker.shutdownNow();
        if (client != null) {
            client.close();
        }
    }
}

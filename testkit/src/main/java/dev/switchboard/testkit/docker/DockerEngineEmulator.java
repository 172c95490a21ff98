package dev.switchboard.testkit.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A small Docker Engine, in memory: the subset of the Engine API (v{@value #API_VERSION}, Docker 27)
 * that the Docker provider uses, served by Jetty on TCP (127.0.0.1, ephemeral port) and, if asked,
 * on a Unix socket relayed to it, as dockerd serves {@code /var/run/docker.sock}. Tests use it to drive the provider
 * through real HTTP; the simulated topology uses it to run compose files without Docker.
 *
 * <p>Endpoints, with or without a {@code /v1.xx} prefix:
 * <ul>
 * <li>{@code GET|HEAD /_ping}: {@code OK}, with the {@code Api-Version} header;</li>
 * <li>{@code GET /version}, {@code GET /info}: the engine's version (API {@value #API_VERSION}, minimum 1.24);</li>
 * <li>{@code GET /containers/json} ({@code all=1} for stopped ones too; {@code filters} with {@code label},
 * {@code name}, {@code status}, {@code id});</li>
 * <li>{@code GET /containers/{id or name}/json}: inspect, 404 {@code {"message":"No such container: x"}};</li>
 * <li>{@code GET /events}: the event stream, newline-separated JSON; {@code filters} with {@code type},
 * {@code event}, {@code container}, {@code label}; {@code since} replays recorded events, {@code until}
 * ends the stream.</li>
 * </ul>
 * Lifecycle methods emit the events real Docker emits, in its order: {@link #stop} gives
 * {@code kill} (signal 15), {@code die}, {@code stop}; {@link #kill} gives {@code kill} (9) and
 * {@code die}; {@link #restart} adds {@code start} and {@code restart}; {@link #remove} of a running
 * container gives {@code kill}, {@code die}, {@code destroy}; {@link #setHealth} gives
 * {@code health_status: healthy}. {@link #beginStop} / {@link #finishStop} split a stop around its
 * grace period, during which the container still runs.
 */
public final class DockerEngineEmulator implements AutoCloseable {
    public static final String API_VERSION = "1.47";
    public static final String ENGINE_VERSION = "27.5.1-switchboard-emulator";
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v\\d+\\.\\d+(?=/)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HISTORY = 2000;

    /** Docker's health states. */
    public enum Health {
        STARTING, HEALTHY, UNHEALTHY;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An emulated container's current state, as inspect shows it. */
    public static final class EmulatedContainer {
        private final String id;
        private final ContainerSpec spec;
        private final Instant created = Instant.now();
        private volatile String status = "created";
        private volatile Health health;
        private volatile int exitCode;
        private volatile Instant startedAt;
        private volatile Instant finishedAt;

        EmulatedContainer(String id, ContainerSpec spec) {
            this.id = id;
            this.spec = spec;
        }

        public String id() {
            return id;
        }

        public String name() {
            return spec.name();
        }

        /** created, running, paused, exited. */
        public String status() {
            return status;
        }

        /** The health status, or null without a healthcheck. */
        public Health health() {
            return health;
        }

        public Map<String, String> labels() {
            return Map.copyOf(spec.labels());
        }

        public Map<String, String> networks() {
            return Map.copyOf(spec.networks());
        }

        boolean isUp() {
            return status.equals("running") || status.equals("paused");
        }
    }

    private final Server server;
    private final ServerConnector tcp;
    private final UnixSocketRelay unix;
    private final Path socket;
    private final Map<String, EmulatedContainer> containers = new LinkedHashMap<>();
    private final Deque<ObjectNode> history = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private long lastEventNanos;

    private DockerEngineEmulator(Path socket) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("docker-emulator");
        threads.setDaemon(true);
        server = new Server(threads);
        tcp = new ServerConnector(server, 1, 1);
        tcp.setHost("127.0.0.1");
        tcp.setPort(0);
        tcp.setIdleTimeout(24L * 3600 * 1000); // the event stream stays open without traffic
        server.addConnector(tcp);
        this.socket = socket;
        server.setHandler(new Api());
        server.start();
        if (socket != null) {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            unix = new UnixSocketRelay(socket, new InetSocketAddress("127.0.0.1", tcp.getLocalPort()));
        } else {
            unix = null;
        }
    }

    /** An engine on {@code tcp://127.0.0.1:<ephemeral port>}. */
    public static DockerEngineEmulator start() throws Exception {
        return new DockerEngineEmulator(null);
    }

    /** An engine on TCP and on the Unix socket {@code socket} (replaced if it exists). */
    public static DockerEngineEmulator start(Path socket) throws Exception {
        return new DockerEngineEmulator(socket);
    }

    /** {@code tcp://127.0.0.1:<port>}, for {@code --providers.docker.endpoint}. */
    public String tcpEndpoint() {
        return "tcp://127.0.0.1:" + tcp.getLocalPort();
    }

    /** {@code unix:///path/to/socket}, or null when started without one. */
    public String unixEndpoint() {
        return socket == null ? null : "unix://" + socket.toAbsolutePath();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    /** {@code docker create}: a container in state {@code created}; returns its id. */
    public synchronized String create(ContainerSpec spec) {
        for (EmulatedContainer c : containers.values()) {
            if (c.name().equals(spec.name())) {
                throw new IllegalArgumentException("Conflict. The container name \"/" + spec.name() + "\" is already in use");
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        EmulatedContainer c = new EmulatedContainer(id, spec);
        containers.put(id, c);
        emit(c, "create", Map.of());
        return id;
    }

    /** {@code docker run -d}: create and start; returns the id. */
    public synchronized String run(ContainerSpec spec) {
        String id = create(spec);
        start(id);
        return id;
    }

    /** {@code docker start}: running, health {@code starting} if the image has a healthcheck. */
    public synchronized void start(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (c.status.equals("running") || c.status.equals("paused")) {
            return;
        }
        c.status = "running";
        c.startedAt = Instant.now();
        c.exitCode = 0;
        c.health = c.spec.hasHealthcheck() ? Health.STARTING : null;
        emit(c, "start", Map.of());
    }

    /** {@code docker stop}: SIGTERM, the process exits, stopped: {@code kill}, {@code die}, {@code stop}. */
    public synchronized void stop(String idOrName) {
        beginStop(idOrName);
        finishStop(idOrName);
    }

    /** The first half of {@code docker stop}: the {@code kill} event (signal 15); the container still runs. */
    public synchronized void beginStop(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (!c.isUp()) {
            return;
        }
        emit(c, "kill", Map.of("signal", "15"));
    }

    /** The second half of {@code docker stop}: the process has exited: {@code die} (exit code 0), {@code stop}. */
    public synchronized void finishStop(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (!c.isUp()) {
            return;
        }
        exited(c, 0);
        emit(c, "stop", Map.of());
    }

    /** {@code docker kill}: SIGKILL: {@code kill} (signal 9), {@code die} (exit code 137). */
    public synchronized void kill(String idOrName) {
        kill(idOrName, 9);
    }

    /**
     * {@code docker kill -s <signal>}: the {@code kill} event; signals 1 (HUP), 10 (USR1), 12 (USR2) and
     * 28 (WINCH) leave the process running, others end it ({@code die}, exit code 128 + signal).
     */
    public synchronized void kill(String idOrName, int signal) {
        EmulatedContainer c = get(idOrName);
        if (!c.isUp()) {
            throw new IllegalStateException("Container " + c.id + " is not running");
        }
        emit(c, "kill", Map.of("signal", String.valueOf(signal)));
        if (!List.of(1, 10, 12, 28).contains(signal)) {
            exited(c, 128 + signal);
        }
    }

    /**
     * The container's process ended by itself (it crashed or exited): {@code die} with its exit code,
     * no {@code kill} before it.
     */
    public synchronized void die(String idOrName, int exitCode) {
        EmulatedContainer c = get(idOrName);
        if (c.isUp()) {
            exited(c, exitCode);
        }
    }

    /** {@code docker pause}: state {@code paused}, event {@code pause}. */
    public synchronized void pause(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (!c.status.equals("running")) {
            throw new IllegalStateException("Container " + c.id + " is not running");
        }
        c.status = "paused";
        emit(c, "pause", Map.of());
    }

    /** {@code docker unpause}: running again, event {@code unpause}. */
    public synchronized void unpause(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (!c.status.equals("paused")) {
            throw new IllegalStateException("Container " + c.id + " is not paused");
        }
        c.status = "running";
        emit(c, "unpause", Map.of());
    }

    /** {@code docker restart}: {@code kill}, {@code die}, {@code stop}, {@code start}, {@code restart}. */
    public synchronized void restart(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (c.isUp()) {
            stop(idOrName);
        }
        start(idOrName);
        emit(c, "restart", Map.of());
    }

    /** {@code docker rm -f}: a running container is killed first; then {@code destroy}. */
    public synchronized void remove(String idOrName) {
        EmulatedContainer c = get(idOrName);
        if (c.isUp()) {
            kill(idOrName, 9);
        }
        containers.remove(c.id);
        emit(c, "destroy", Map.of());
    }

    /**
     * Sets the healthcheck's verdict: {@code health_status: healthy} or {@code unhealthy} (Docker
     * emits no event for {@code starting}, which is where a container starts).
     */
    public synchronized void setHealth(String idOrName, Health health) {
        EmulatedContainer c = get(idOrName);
        if (!c.spec.hasHealthcheck()) {
            throw new IllegalStateException("container " + c.name() + " has no healthcheck: create it with ContainerSpec.healthcheck()");
        }
        c.health = health;
        if (health != Health.STARTING) {
            emit(c, "health_status: " + health.json(), Map.of());
        }
    }

    /** Breaks every open event stream, as a daemon restart does; clients must reconnect. */
    public void breakEventStreams() {
        for (Subscriber s : subscribers) {
            s.queue.add(Subscriber.BREAK);
        }
    }

    /** How many event streams are open now. */
    public int eventSubscribers() {
        return subscribers.size();
    }

    public synchronized Optional<EmulatedContainer> container(String idOrName) {
        return Optional.ofNullable(find(idOrName));
    }

    public synchronized List<EmulatedContainer> containers() {
        return List.copyOf(containers.values());
    }

    private EmulatedContainer get(String idOrName) {
        EmulatedContainer c = find(idOrName);
        if (c == null) {
            throw new IllegalArgumentException("No such container: " + idOrName);
        }
        return c;
    }

    private EmulatedContainer find(String idOrName) {
        String key = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        EmulatedContainer byId = containers.get(key);
        if (byId != null) {
            return byId;
        }
        for (EmulatedContainer c : containers.values()) {
            if (c.name().equals(key)) {
                return c;
            }
        }
        List<EmulatedContainer> prefixed = containers.values().stream().filter(c -> c.id.startsWith(key)).toList();
        return prefixed.size() == 1 && key.length() >= 3 ? prefixed.get(0) : null;
    }

    private void exited(EmulatedContainer c, int exitCode) {
        c.status = "exited";
        c.exitCode = exitCode;
        c.finishedAt = Instant.now();
        emit(c, "die", Map.of("exitCode", String.valueOf(exitCode)));
    }

    private void emit(EmulatedContainer c, String action, Map<String, String> extra) {
        long nanos = Math.max(System.currentTimeMillis() * 1_000_000L, lastEventNanos + 1);
        lastEventNanos = nanos;
        ObjectNode e = JSON.createObjectNode();
        e.put("status", action);
        e.put("id", c.id);
        e.put("from", c.spec.image());
        e.put("Type", "container");
        e.put("Action", action);
        ObjectNode actor = e.putObject("Actor");
        actor.put("ID", c.id);
        ObjectNode attributes = actor.putObject("Attributes");
        c.spec.labels().forEach(attributes::put);
        attributes.put("image", c.spec.image());
        attributes.put("name", c.name());
        extra.forEach(attributes::put);
        e.put("scope", "local");
        e.put("time", nanos / 1_000_000_000L);
        e.put("timeNano", nanos);
        history.addLast(e);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
        for (Subscriber s : subscribers) {
            if (s.filter.matches(e)) {
                s.queue.add(e);
            }
        }
    }

    // ---- JSON views ---------------------------------------------------------------------------

    private ObjectNode inspect(EmulatedContainer c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Id", c.id);
        n.put("Created", c.created.toString());
        n.put("Path", "/docker-entrypoint.sh");
        n.putArray("Args");
        ObjectNode state = n.putObject("State");
        state.put("Status", c.status);
        state.put("Running", c.isUp());
        state.put("Paused", c.status.equals("paused"));
        state.put("Restarting", false);
        state.put("OOMKilled", false);
        state.put("Dead", false);
        state.put("Pid", c.isUp() ? 1000 + Math.abs(c.id.hashCode() % 30000) : 0);
        state.put("ExitCode", c.exitCode);
        state.put("Error", "");
        state.put("StartedAt", c.startedAt == null ? "0001-01-01T00:00:00Z" : c.startedAt.toString());
        state.put("FinishedAt", c.finishedAt == null ? "0001-01-01T00:00:00Z" : c.finishedAt.toString());
        if (c.spec.hasHealthcheck()) {
            ObjectNode health = state.putObject("Health");
            health.put("Status", c.health == null ? "unhealthy" : c.health.json());
            health.put("FailingStreak", c.health == Health.UNHEALTHY ? 3 : 0);
            health.putArray("Log");
        }
        n.put("Image", "sha256:" + HexFormat.of().formatHex(c.spec.image().getBytes(StandardCharsets.UTF_8)));
        n.put("Name", "/" + c.name());
        n.put("RestartCount", 0);
        ObjectNode host = n.putObject("HostConfig");
        host.put("NetworkMode", c.spec.networkMode());
        ObjectNode config = n.putObject("Config");
        config.put("Hostname", c.id.substring(0, 12));
        config.put("Image", c.spec.image());
        ObjectNode exposed = config.putObject("ExposedPorts");
        c.spec.exposedPorts().forEach(p -> exposed.putObject(p));
        ObjectNode labels = config.putObject("Labels");
        c.spec.labels().forEach(labels::put);
        if (c.spec.hasHealthcheck()) {
            config.putObject("Healthcheck").putArray("Test").add("CMD-SHELL").add("true");
        }
        n.set("NetworkSettings", networkSettings(c));
        return n;
    }

    private ObjectNode networkSettings(EmulatedContainer c) {
        ObjectNode settings = JSON.createObjectNode();
        ObjectNode ports = settings.putObject("Ports");
        for (String p : c.spec.exposedPorts()) {
            String binding = c.spec.published().get(p);
            if (binding == null || !c.isUp()) {
                ports.putNull(p);
            } else {
                ArrayNode bindings = ports.putArray(p);
                ObjectNode b = bindings.addObject();
                b.put("HostIp", binding.substring(0, binding.lastIndexOf(':')));
                b.put("HostPort", binding.substring(binding.lastIndexOf(':') + 1));
            }
        }
        ObjectNode networks = settings.putObject("Networks");
        c.spec.networks().forEach((name, ip) -> {
            ObjectNode net = networks.putObject(name);
            net.putArray("Aliases").add(c.name());
            net.put("NetworkID", HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)));
            net.put("EndpointID", c.isUp() ? c.id.substring(0, 16) + "e" : "");
            net.put("Gateway", "");
            // Docker gives no address to a stopped container.
            net.put("IPAddress", c.isUp() ? ip : "");
            net.put("IPPrefixLen", c.isUp() ? 16 : 0);
            net.put("GlobalIPv6Address", "");
        });
        return settings;
    }

    private ObjectNode summary(EmulatedContainer c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("Id", c.id);
        n.putArray("Names").add("/" + c.name());
        n.put("Image", c.spec.image());
        n.put("Created", c.created.getEpochSecond());
        n.put("State", c.status);
        n.put("Status", switch (c.status) {
            case "running" -> "Up" + (c.health == null ? "" : " (" + c.health.json() + ")");
            case "paused" -> "Up (Paused)";
            case "exited" -> "Exited (" + c.exitCode + ")";
            default -> "Created";
        });
        ObjectNode labels = n.putObject("Labels");
        c.spec.labels().forEach(labels::put);
        ArrayNode ports = n.putArray("Ports");
        for (String p : c.spec.exposedPorts()) {
            ObjectNode port = ports.addObject();
            port.put("PrivatePort", Integer.parseInt(p.substring(0, p.indexOf('/'))));
            port.put("Type", p.substring(p.indexOf('/') + 1));
        }
        n.putObject("HostConfig").put("NetworkMode", c.spec.networkMode());
        n.set("NetworkSettings", JSON.createObjectNode().set("Networks", networkSettings(c).get("Networks")));
        return n;
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    /** Filters as Docker's {@code filters} query parameter: {@code {"type":["container"]}} (or the old {@code {"type":{"container":true}}}). */
    private record Filter(Map<String, List<String>> values) {
        static Filter parse(String json) throws IOException {
            Map<String, List<String>> values = new LinkedHashMap<>();
            if (json != null && !json.isBlank()) {
                JsonNode node = JSON.readTree(json);
                node.properties().forEach(e -> {
                    List<String> list = new ArrayList<>();
                    if (e.getValue().isArray()) {
                        e.getValue().forEach(v -> list.add(v.asText()));
                    } else {
                        e.getValue().fieldNames().forEachRemaining(list::add);
                    }
                    values.put(e.getKey(), list);
                });
            }
            return new Filter(values);
        }

        boolean matches(ObjectNode event) {
            return anyOf("type", event.path("Type").asText())
                    && anyOf("event", event.path("Action").asText(), event.path("Action").asText().split(":")[0])
                    && anyOf("container", event.path("Actor").path("ID").asText(),
                            event.path("Actor").path("Attributes").path("name").asText())
                    && labels(event.path("Actor").path("Attributes"));
        }

        boolean matches(EmulatedContainer c) {
            return anyOf("id", c.id) && anyOf("name", c.name(), "/" + c.name()) && anyOf("status", c.status)
                    && labels(JSON.valueToTree(c.spec.labels()));
        }

        private boolean anyOf(String key, String... candidates) {
            List<String> wanted = values.get(key);
            if (wanted == null || wanted.isEmpty()) {
                return true;
            }
            for (String w : wanted) {
                for (String c : candidates) {
                    if (c.equals(w) || (key.equals("id") || key.equals("container")) && c.startsWith(w)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean labels(JsonNode attributes) {
            List<String> wanted = values.get("label");
            if (wanted == null) {
                return true;
            }
            for (String w : wanted) {
                int eq = w.indexOf('=');
                String k = eq < 0 ? w : w.substring(0, eq);
                if (!attributes.has(k) || eq >= 0 && !attributes.get(k).asText().equals(w.substring(eq + 1))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Subscriber {
        static final ObjectNode BREAK = JSON.createObjectNode();
        static final ObjectNode END = JSON.createObjectNode();
        final Filter filter;
        final BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();

        Subscriber(Filter filter) {
            this.filter = filter;
        }
    }

    private final class Api extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = VERSION_PREFIX.matcher(request.getHttpURI().getPath()).replaceFirst("");
            String method = request.getMethod();
            Fields query = Request.extractQueryParameters(request);
            response.getHeaders().put("Api-Version", API_VERSION);
            response.getHeaders().put("Docker-Experimental", "false");
            response.getHeaders().put("Ostype", "linux");
            response.getHeaders().put(HttpHeader.SERVER, "Docker/" + ENGINE_VERSION + " (linux)");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return json(response, callback, 405, message("this emulator serves GET requests only"));
            }
            if (path.equals("/_ping")) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store, must-revalidate");
                response.write(true, method.equals("HEAD") ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap("OK".getBytes(StandardCharsets.US_ASCII)),
                        callback);
                return true;
            }
            if (path.equals("/version")) {
                return json(response, callback, 200, version());
            }
            if (path.equals("/info")) {
                return json(response, callback, 200, info());
            }
            if (path.equals("/containers/json")) {
                boolean all = "1".equals(query.getValue("all")) || "true".equalsIgnoreCase(query.getValue("all"));
                Filter filter = Filter.parse(query.getValue("filters"));
                ArrayNode list = JSON.createArrayNode();
                synchronized (DockerEngineEmulator.this) {
                    for (EmulatedContainer c : containers.values()) {
                        if ((all || c.isUp()) && filter.matches(c)) {
                            list.add(summary(c));
                        }
                    }
                }
                return json(response, callback, 200, list);
            }
            if (path.startsWith("/containers/") && path.endsWith("/json")) {
                String id = path.substring("/containers/".length(), path.length() - "/json".length());
                ObjectNode body;
                synchronized (DockerEngineEmulator.this) {
                    EmulatedContainer c = find(id);
                    body = c == null ? null : inspect(c);
                }
                return body == null ? json(response, callback, 404, message("No such container: " + id))
                        : json(response, callback, 200, body);
            }
            if (path.equals("/events")) {
                events(request, response, callback, query);
                return true;
            }
            return json(response, callback, 404, message("page not found"));
        }

        private void events(Request request, Response response, Callback callback, Fields query) throws IOException {
            Filter filter = Filter.parse(query.getValue("filters"));
            Subscriber s = new Subscriber(filter);
            Double since = parseTime(query.getValue("since"));
            Double until = parseTime(query.getValue("until"));
            synchronized (DockerEngineEmulator.this) {
                if (since != null) {
                    for (ObjectNode e : history) {
                        double t = e.path("timeNano").asLong() / 1e9;
                        if (t >= since && (until == null || t <= until) && filter.matches(e)) {
                            s.queue.add(e);
                        }
                    }
                }
                if (until != null) {
                    s.queue.add(Subscriber.END);
                } else {
                    subscribers.add(s);
                }
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            try {
                write(response, BufferUtil.EMPTY_BUFFER); // commit: the client knows it is subscribed
                while (true) {
                    ObjectNode e = s.queue.take();
                    if (e == Subscriber.END) {
                        subscribers.remove(s);
                        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
                        return;
                    }
                    if (e == Subscriber.BREAK) {
                        subscribers.remove(s);
                        callback.failed(new IOException("event stream broken by the emulator"));
                        return;
                    }
                    write(response, ByteBuffer.wrap((JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8)));
                }
            } catch (IOException | InterruptedException e) {
                subscribers.remove(s);
                callback.failed(e);
            }
        }

        private void write(Response response, ByteBuffer buffer) throws IOException {
            try (Blocker.Callback cb = Blocker.callback()) {
                response.write(false, buffer, cb);
                cb.block();
            }
        }

        private Double parseTime(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return (double) Instant.parse(value).getEpochSecond();
            }
        }

        private boolean json(Response response, Callback callback, int status, JsonNode body) throws IOException {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
            return true;
        }

        private ObjectNode message(String text) {
            ObjectNode n = JSON.createObjectNode();
            n.put("message", text);
            return n;
        }
    }

    private ObjectNode version() {
        ObjectNode v = JSON.createObjectNode();
        v.set("Platform", JSON.createObjectNode().put("Name", "Switchboard Docker Engine emulator"));
        v.put("Version", ENGINE_VERSION);
        v.put("ApiVersion", API_VERSION);
        v.put("MinAPIVersion", "1.24");
        v.put("Os", "linux");
        v.put("Arch", "amd64");
        v.put("KernelVersion", System.getProperty("os.version"));
        return v;
    }

    private synchronized ObjectNode info() {
        ObjectNode i = JSON.createObjectNode();
        i.put("ID", "switchboard-emulator");
        i.put("Name", "switchboard-emulator");
        i.put("ServerVersion", ENGINE_VERSION);
        i.put("Containers", containers.size());
        i.put("ContainersRunning", containers.values().stream().filter(c -> c.status.equals("running")).count());
        i.put("ContainersPaused", containers.values().stream().filter(c -> c.status.equals("paused")).count());
        i.put("ContainersStopped", containers.values().stream().filter(c -> !c.isUp()).count());
        i.put("OperatingSystem", "Switchboard emulator");
        i.put("OSType", "linux");
        return i;
    }

    /** Stops the server; open event streams end. */
    @Override
    public void close() throws Exception {
        for (Subscriber s : subscribers) {
            s.queue.add(Subscriber.END);
        }
        if (unix != null) {
            unix.close();
        }
        server.stop();
    }
}

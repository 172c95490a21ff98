package dev.switchboard.proxy.provider.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The few calls of the Docker Engine API the provider makes, over the engine's Unix socket or TCP,
 * with Jetty's HTTP client and Jackson: {@code GET /version}, {@code GET /containers/json?all=1},
 * {@code GET /containers/{id}/json} and the {@code GET /events} stream. A client library would
 * bring its own HTTP stack and JSON binding for four calls; these are stable across API versions.
 *
 * <p>The API version is negotiated as Docker's own client does: the lower of the engine's
 * {@code ApiVersion} and {@link #MAX_API_VERSION}, sent as the {@code /v1.xx} path prefix.
 */
public final class DockerClient implements AutoCloseable {
    /** The newest API version whose fields this client reads (Docker Engine 27). */
    public static final String MAX_API_VERSION = "1.47";
    /** The oldest API version with every field read here (Docker 1.12). */
    public static final String MIN_API_VERSION = "1.24";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();

    private final DockerEndpoint endpoint;
    private final Duration timeout;
    private final String authorization;
    private final HttpClient http;
    private volatile String apiPrefix = "";

    /** The engine's answer to {@code GET /version}. */
    public record ServerVersion(String version, String apiVersion, String minApiVersion, String os) {
    }

    /** A request to the engine failed: unreachable, or an error status. */
    public static final class DockerException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        DockerException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status the engine answered, or 0 if it was not reached. */
        public int status() {
            return status;
        }
    }

    /**
     * @param timeout per request, as {@code httpClientTimeout}; zero means 30 s (the event stream has none)
     * @param username with {@code password}, sent as HTTP basic authentication (for a socket proxy)
     */
    public DockerClient(DockerEndpoint endpoint, Duration timeout, String username, String password) {
        this.endpoint = endpoint;
        this.timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(30) : timeout;
        this.authorization = username != null && !username.isEmpty() && password != null && !password.isEmpty()
                ? "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8))
                : null;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("docker-client");
        threads.setDaemon(true);
        this.http = new HttpClient();
        http.setExecutor(threads);
        http.setName("docker-client");
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField(HttpHeader.USER_AGENT,
                "Switchboard/" + dev.switchboard.proxy.config.Version.get()));
        http.setConnectTimeout(this.timeout.toMillis());
        http.setFollowRedirects(false);
    }

    public DockerClient start() throws Exception {
        http.start();
        return this;
    }

    public DockerEndpoint endpoint() {
        return endpoint;
    }

    /** {@code GET /version}, unversioned; also fixes the API version of later calls. */
    public ServerVersion version() throws IOException {
        JsonNode v = getJson("/version");
        ServerVersion version = new ServerVersion(v.path("Version").asText(""), v.path("ApiVersion").asText(""),
                v.path("MinAPIVersion").asText(""), v.path("Os").asText(""));
        String api = version.apiVersion().isEmpty() ? MIN_API_VERSION : version.apiVersion();
        if (compareVersions(api, MIN_API_VERSION) < 0) {
            throw new DockerException("the Docker engine at " + endpoint + " speaks API " + api + "; Switchboard needs "
                    + MIN_API_VERSION + " or newer (Docker 1.12+)", 0, null);
        }
        apiPrefix = "/v" + (compareVersions(api, MAX_API_VERSION) < 0 ? api : MAX_API_VERSION);
        return version;
    }

    /** The API version prefix in use ({@code /v1.47}), empty before {@link #version()}. */
    public String apiPrefix() {
        return apiPrefix;
    }

    /** The ids of every container, running or not ({@code GET /containers/json?all=1}). */
    public List<String> listContainerIds() throws IOException {
        JsonNode list = getJson(apiPrefix + "/containers/json?all=1");
        List<String> ids = new ArrayList<>();
        for (JsonNode c : list) {
            String id = c.path("Id").asText("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** {@code GET /containers/{id}/json}; empty if the container is gone (404). */
    public Optional<DockerContainer> inspect(String id) throws IOException {
        try {
            return Optional.of(parseInspect(getJson(apiPrefix + "/containers/" + encode(id) + "/json")));
        } catch (DockerException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Every container, inspected; containers removed meanwhile are left out. */
    public List<DockerContainer> containers() throws IOException {
        List<DockerContainer> out = new ArrayList<>();
        for (String id : listContainerIds()) {
            inspect(id).ifPresent(out::add);
        }
        return out;
    }

    /** Reads the fields of an inspect answer the provider uses; tolerant of missing ones. */
    static DockerContainer parseInspect(JsonNode c) {
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Config").path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText("")));
        JsonNode state = c.path("State");
        String status = state.path("Status").asText("");
        if (status.isEmpty()) { // API before 1.21 had only booleans
            status = state.path("Running").asBoolean(false) ? (state.path("Paused").asBoolean(false) ? "paused" : "running") : "exited";
        }
        String health = state.path("Health").path("Status").asText("");
        if ("none".equals(health)) {
            health = "";
        }
        Map<String, DockerContainer.Network> networks = new LinkedHashMap<>();
        c.path("NetworkSettings").path("Networks").properties().forEach(e -> {
            JsonNode n = e.getValue();
            String ip = n.path("IPAddress").asText("");
            if (ip.isEmpty()) {
                ip = n.path("GlobalIPv6Address").asText("");
            }
            networks.put(e.getKey(), new DockerContainer.Network(e.getKey(), ip, n.path("NetworkID").asText("")));
        });
        Map<String, DockerContainer.Port> ports = new HashMap<>();
        c.path("Config").path("ExposedPorts").fieldNames().forEachRemaining(key -> {
            DockerContainer.Port p = DockerContainer.Port.parse(key, null, null);
            if (p != null) {
                ports.put(p.number() + "/" + p.protocol(), p);
            }
        });
        c.path("NetworkSettings").path("Ports").properties().forEach(e -> {
            JsonNode bindings = e.getValue();
            String hostIp = null;
            String hostPort = null;
            if (bindings.isArray() && bindings.size() > 0) {
                hostIp = bindings.get(0).path("HostIp").asText("");
                hostPort = bindings.get(0).path("HostPort").asText("");
            }
            DockerContainer.Port p = DockerContainer.Port.parse(e.getKey(), hostIp, hostPort);
            if (p != null) {
                ports.put(p.number() + "/" + p.protocol(), p);
            }
        });
        return new DockerContainer(c.path("Id").asText(""), c.path("Name").asText(""), labels, status, health,
                c.path("HostConfig").path("NetworkMode").asText(""), networks, new ArrayList<>(ports.values()));
    }

    /**
     * Subscribes to container events ({@code GET /events?filters={"type":["container"]}}) and
     * returns once the engine has accepted, so that a container list read afterwards misses no
     * change. Read the stream with {@link OpenEvents#read}.
     */
    public OpenEvents openEvents() throws IOException {
        String filters = "{\"type\":[\"container\"]}";
        InputStreamResponseListener listener = new InputStreamResponseListener();
        Request request = newRequest(apiPrefix + "/events?filters=" + encode(filters))
                .idleTimeout(365, TimeUnit.DAYS)
                .timeout(0, TimeUnit.MILLISECONDS);
        request.send(listener);
        Response response;
        try {
            response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new DockerException("interrupted", 0, e);
        } catch (TimeoutException | ExecutionException e) {
            request.abort(e);
            throw unreachable(e);
        }
        InputStream in = listener.getInputStream();
        if (response.getStatus() != 200) {
            String body = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            in.close();
            throw error("GET /events", response.getStatus(), body);
        }
        return new OpenEvents(request, in);
    }

    /** A subscribed event stream: read it with {@link #read}, stop it with {@link #close}. */
    public static final class OpenEvents implements AutoCloseable {
        private final Request request;
        private final InputStream in;

        OpenEvents(Request request, InputStream in) {
            this.request = request;
            this.in = in;
        }

        /**
         * Reads events until the stream ends (returns normally: the engine closed it) or breaks
         * (throws); each goes to {@code onEvent} on this thread.
         */
        public void read(Consumer<DockerEvent> onEvent) throws IOException {
            try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(in)) {
                while (it.hasNextValue()) {
                    JsonNode e = it.nextValue();
                    Map<String, String> attributes = new HashMap<>();
                    JsonNode actor = e.path("Actor");
                    actor.path("Attributes").properties().forEach(a -> attributes.put(a.getKey(), a.getValue().asText("")));
                    String type = e.path("Type").asText(e.path("type").asText(""));
                    String action = e.path("Action").asText(e.path("status").asText(""));
                    String id = actor.path("ID").asText(e.path("id").asText(""));
                    onEvent.accept(new DockerEvent(type, action, id, attributes, e.path("timeNano").asLong(0)));
                }
            } catch (java.io.EOFException e) {
                throw new IOException("the engine closed the connection", e);
            } catch (IOException e) {
                String why = e.getMessage() == null || e.getMessage().length() > 120 ? e.getClass().getSimpleName() : e.getMessage();
                throw new IOException("the connection broke: " + why, e);
            } catch (RuntimeException e) {
                throw new IOException("unreadable event stream: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            request.abort(new IOException("event stream closed"));
            try {
                in.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private JsonNode getJson(String path) throws IOException {
        ContentResponse response;
        try {
            response = newRequest(path).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("interrupted", 0, e);
        } catch (TimeoutException | ExecutionException e) {
            throw unreachable(e);
        }
        if (response.getStatus() != 200) {
            throw error("GET " + path, response.getStatus(), response.getContentAsString());
        }
        return JSON.readTree(response.getContent());
    }

    private Request newRequest(String path) {
        Request request = http.newRequest(endpoint.baseUrl() + path)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json"));
        if (endpoint.isUnix()) {
            request.transport(new Transport.TCPUnix(endpoint.socket()));
        }
        if (authorization != null) {
            request.headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization));
        }
        return request;
    }

    private DockerException unreachable(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String why = cause instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new DockerException("cannot reach the Docker engine at " + endpoint + ": " + why, 0, cause);
    }

    private DockerException error(String what, int status, String body) {
        String message = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                message = node.get("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: keep the body
        }
        return new DockerException("the Docker engine at " + endpoint + " answered " + what + " with " + status
                + (message == null || message.isBlank() ? "" : ": " + message.trim()), status, null);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Compares dotted versions numerically ({@code 1.9 < 1.24}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parse(x[i]) : 0;
            int yi = i < y.length ? parse(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping
        }
    }
}

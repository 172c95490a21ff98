package dev.switchboard.producer.testing;

import dev.switchboard.producer.ProducerApplication;
import dev.switchboard.producer.faults.ProcessExit;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real producer: the Spring Boot application on 127.0.0.1:0 with its own in-memory database (unless the
 * settings name another), and a plain HTTP client that talks to it the way the proxy does. Settings are the
 * environment variable names of the docs (FAULT_LATENCY_MS, INSTANCE_NAME...) or Spring property names.
 *
 * <p>A crash fault does not end the test JVM: exits are recorded in {@link #exits()} instead.
 */
public final class ProducerFixture implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final int port;
    private final HttpClient http;
    private final List<String> exits;

    private ProducerFixture(ConfigurableApplicationContext context, List<String> exits) {
        this.context = context;
        this.exits = exits;
        this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static ProducerFixture start() {
        return start(Map.of());
    }

    public static ProducerFixture start(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.address", "127.0.0.1");
        all.put("server.port", "0");
        all.put("spring.datasource.url", "jdbc:h2:mem:producer_" + UUID.randomUUID().toString().replace("-", "")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        all.put("logging.level.root", "WARN");
        all.putAll(settings);
        List<String> args = new ArrayList<>();
        all.forEach((key, value) -> args.add("--" + key + "=" + value));
        List<String> exits = new CopyOnWriteArrayList<>();
        ProcessExit recording = (status, reason) -> exits.add(status + " " + reason);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ProducerApplication.class)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("recordingProcessExit", recording))
                .run(args.toArray(String[]::new));
        return new ProducerFixture(context, exits);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** "status reason" of each exit a crash fault asked for. */
    public List<String> exits() {
        return exits;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> send(String method, String path, String jsonBody, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public HttpClient http() {
        return http;
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JsonMapper.shared().readTree(response.body());
    }

    @Override
    public void close() {
        context.close();
    }
}

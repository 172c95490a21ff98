package dev.switchboard.proxy.testing;

import dev.switchboard.proxy.SwitchboardProxy;
import dev.switchboard.proxy.config.StaticConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * A real proxy on ephemeral loopback ports, configured by Traefik flags and a dynamic YAML file in
 * a temporary directory, plus an HTTP client that can send any Host header.
 */
public final class ProxyFixture implements AutoCloseable {
    /**
     * The flag of the {@code switchboard} profile: for tests of Switchboard's improvements, which the
     * default {@code traefik} profile turns off (docs/reference/profile.md).
     */
    public static final String SWITCHBOARD_PROFILE = "--switchboard.profile=switchboard";

    private final Path dir;
    private final Path dynamic;
    private final SwitchboardProxy proxy;
    private final HttpClient client;

    private ProxyFixture(Path dir, Path dynamic, SwitchboardProxy proxy, HttpClient client) {
        this.dir = dir;
        this.dynamic = dynamic;
        this.proxy = proxy;
        this.client = client;
    }

    /** Dynamic configuration with one router, {@code PathPrefix(`/`)}, to one server. */
    public static String catchAllTo(String serverUrl) {
        return """
                http:
                  routers:
                    all: {rule: "PathPrefix(`/`)", service: s}
                  services:
                    s: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(serverUrl);
    }

    /** A proxy with entry point {@code web} on 127.0.0.1:0 and the file provider on {@code dynamicYaml}. */
    public static ProxyFixture start(String dynamicYaml, String... extraFlags) throws Exception {
        Path dir = Files.createTempDirectory("switchboard-test");
        Path dynamic = dir.resolve("dynamic.yml");
        Files.writeString(dynamic, dynamicYaml);
        List<String> flags = new ArrayList<>(List.of("--entrypoints.web.address=127.0.0.1:0",
                "--providers.file.filename=" + dynamic));
        flags.addAll(List.of(extraFlags));
        return startWith(dir, dynamic, flags);
    }

    /** A proxy from exactly these flags; {@code dir} is where tests may put files. */
    public static ProxyFixture startWith(Path dir, Path dynamic, List<String> flags) throws Exception {
        SwitchboardProxy proxy = new SwitchboardProxy(StaticConfigLoader.load(flags));
        proxy.start();
        HttpClient client = new HttpClient();
        client.setFollowRedirects(false);
        client.setMaxConnectionsPerDestination(64);
        client.start();
        return new ProxyFixture(dir, dynamic, proxy, client);
    }

    public SwitchboardProxy proxy() {
        return proxy;
    }

    public Path dir() {
        return dir;
    }

    public HttpClient client() {
        return client;
    }

    public String url(String entryPoint, String path) {
        return "http://127.0.0.1:" + proxy.port(entryPoint) + path;
    }

    public Request request(String path) {
        return client.newRequest(url("web", path)).timeout(10, TimeUnit.SECONDS);
    }

    public ContentResponse get(String path) throws Exception {
        return request(path).send();
    }

    public ContentResponse get(String host, String path) throws Exception {
        return request(path).headers(h -> h.put("Host", host)).send();
    }

    /** Rewrites the dynamic file (atomically, as editors and {@code docker cp} do). */
    public void writeDynamic(String yaml) throws IOException {
        Path tmp = dir.resolve(".dynamic.yml.tmp");
        Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
        Files.move(tmp, dynamic, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws Exception {
        client.stop();
        proxy.close();
    }
}

package dev.switchboard.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executable jar as the simulated topology and the Dockerfile run it: {@code java -jar
 * target/sample-producer.jar}, configured only by environment variables. Prints start-up time and memory.
 */
class ProducerJarIT {
    private static final Path JAR = Path.of("target", "sample-producer.jar");
    private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");
    private static final Pattern STARTED_IN = Pattern.compile("Started ProducerApplication in ([0-9.]+) seconds");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** JVM options a lab would use for several replicas on one machine (also the Dockerfile's). */
    private static final List<String> LAB_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Xmx128m");

    private final List<Replica> started = new ArrayList<>();

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("failsafe runs after package").isRegularFile();
    }

    @AfterEach
    void stopAll() {
        started.forEach(r -> r.process.destroyForcibly());
    }

    record Replica(Process process, Path log, int port, String startedIn) {
    }

    private Replica start(Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("producer", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAB_JVM);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        Replica pending = new Replica(process, log, 0, null);
        started.add(pending);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> STARTED_IN.matcher(Files.readString(log)).find() || !process.isAlive());
        String output = Files.readString(log);
        assertThat(process.isAlive()).as(output).isTrue();
        Matcher port = STARTED.matcher(output);
        Matcher startedIn = STARTED_IN.matcher(output);
        assertThat(port.find() && startedIn.find()).as(output).isTrue();
        Replica replica = new Replica(process, log, Integer.parseInt(port.group(1)), startedIn.group(1));
        started.set(started.size() - 1, replica);
        return replica;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long rssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void replicasShareAPortOnDifferentLoopbackAddresses() throws Exception {
        // The simulated topology: same SERVER_PORT, one 127.x address per replica, names from INSTANCE_NAME.
        Replica first = start(Map.of("SERVER_ADDRESS", "127.0.0.2", "SERVER_PORT", "0", "INSTANCE_NAME", "app1-1"));
        Replica second = start(Map.of("SERVER_ADDRESS", "127.0.0.3", "SERVER_PORT", Integer.toString(first.port()),
                "INSTANCE_NAME", "app1-2"));
        assertThat(second.port()).isEqualTo(first.port());
        HttpResponse<String> a = get("http://127.0.0.2:" + first.port() + "/users/1");
        HttpResponse<String> b = get("http://127.0.0.3:" + second.port() + "/users/1");
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(b.statusCode()).isEqualTo(200);
        assertThat(a.headers().firstValue("X-Instance")).hasValue("app1-1");
        assertThat(b.headers().firstValue("X-Instance")).hasValue("app1-2");
        assertThat(get("http://127.0.0.2:" + first.port() + "/instance").body()).contains("\"address\":\"127.0.0.2\"");
        System.out.printf("[producer jar] started in %s s and %s s; resident memory %d MB and %d MB (%s)%n",
                first.startedIn(), second.startedIn(), rssKb(first.process()) / 1024, rssKb(second.process()) / 1024,
                String.join(" ", LAB_JVM));
    }

    @Test
    void crashFaultFromTheEnvironmentEndsTheProcessWithStatus1() throws Exception {
        Replica replica = start(Map.of("SERVER_ADDRESS", "127.0.0.1", "SERVER_PORT", "0", "FAULT_CRASH_AFTER", "2"));
        String base = "http://127.0.0.1:" + replica.port();
        assertThat(get(base + "/users/1").statusCode()).isEqualTo(200);
        assertThat(get(base + "/users/2").statusCode()).isEqualTo(200);
        try {
            get(base + "/users/3");
        } catch (IOException expected) {
            // the process died before answering, as a crash does
        }
        assertThat(replica.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(replica.process().exitValue()).isEqualTo(1);
        assertThat(Files.readString(replica.log())).contains("crash fault: 2 requests served; exiting with status 1");
    }
}

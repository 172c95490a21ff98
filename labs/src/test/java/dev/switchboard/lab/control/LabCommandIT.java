package dev.switchboard.lab.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.lab.kit.LabFolders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lab} command as a student runs it, as its own program (the built jar), on a small
 * topology (the proxy and a whoami service): {@code lab up} on a running lab applies an edited label
 * live, recreating only that service; a background lab whose lab process crashed is cleaned up by
 * {@code lab down}, which says what it removed. The repository it runs in is a folder of its own
 * (links to the kit's modules), so its {@code .lab/} is not the developer's.
 */
class LabCommandIT {
    private static final Path ROOT = LabFolders.root();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    private Path repo;
    private Path compose;

    @BeforeEach
    void repository() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve("compose"));
        for (String module : List.of("proxy", "labs", "docs", "sample-producer", "sample-db")) {
            Files.createSymbolicLink(repo.resolve(module), ROOT.resolve(module));
        }
        compose = tmp.resolve("mine/compose.yaml");
        Files.createDirectories(compose.getParent());
        Files.writeString(compose, topology("/old"));
    }

    @AfterEach
    void down() throws Exception {
        lab("down");
    }

    private static String topology(String prefix) {
        return """
                name: livelab
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--providers.docker, --providers.docker.exposedByDefault=false, --entrypoints.web.address=:80]
                    ports: ["0:80"]
                  whoami:
                    image: traefik/whoami
                    labels:
                      - traefik.enable=true
                      - traefik.http.routers.whoami.rule=PathPrefix(`%s`)
                """.formatted(prefix);
    }

    @Test
    void upOnARunningLabRecreatesOnlyTheServiceWhoseLabelChanged() throws Exception {
        Run up = lab("up", "-f", compose.toString(), "-d");
        assertEquals(0, up.exit(), up.output());
        String entry = entryPoint(up.output());
        awaitStatus(entry + "/old", 200);
        JsonNode before = ps();

        Files.writeString(compose, topology("/new"));
        Run again = lab("up", "-f", compose.toString());

        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("livelab is running: applying"), again.output());
        assertTrue(Pattern.compile("Container livelab-whoami-1 +Recreated").matcher(again.output()).find(), again.output());
        assertTrue(Pattern.compile("Container livelab-reverse-proxy-1 +Running").matcher(again.output()).find(), again.output());
        awaitStatus(entry + "/new", 200);
        assertEquals(404, get(entry + "/old").statusCode(), "the old rule is gone");
        JsonNode after = ps();
        assertEquals(id(before, "livelab-reverse-proxy-1"), id(after, "livelab-reverse-proxy-1"), "the proxy kept running");
        assertFalse(id(before, "livelab-whoami-1").equals(id(after, "livelab-whoami-1")), "whoami is a new container");

        Files.writeString(compose, topology("/new").replace("--entrypoints.web.address=:80]", "--entrypoints.web.address=:80, --nonsense]"));
        Run broken = lab("up", "-f", compose.toString());
        assertEquals(1, broken.exit(), broken.output());
        assertTrue(broken.output().contains("nonsense"), broken.output());
        assertEquals(200, get(entry + "/new").statusCode(), "a file with a mistake changes nothing");
    }

    @Test
    void downAfterTheLabProcessCrashedEndsItsProgramsAndRemovesWhatItLeft() throws Exception {
        Run up = lab("up", "-f", compose.toString(), "-d");
        assertEquals(0, up.exit(), up.output());
        JsonNode state = new ObjectMapper().readTree(repo.resolve(".lab/current.json").toFile());
        long labPid = state.get("pid").asLong();
        Path jarCopy = Path.of(state.get("jarCopy").asText());
        assertTrue(Files.isRegularFile(jarCopy) && jarCopy.startsWith(repo.resolve(".lab")), "a background lab runs from a private copy: " + jarCopy);
        List<ProcessHandle> programs = ProcessHandle.of(labPid).orElseThrow().children().toList();
        assertTrue(programs.size() >= 2, "the proxy and whoami run: " + programs);

        ProcessHandle.of(labPid).orElseThrow().destroyForcibly(); // the lab tool crashes: its programs stay
        ProcessHandle.of(labPid).orElseThrow().onExit().get(30, TimeUnit.SECONDS);
        assertTrue(programs.stream().allMatch(ProcessHandle::isAlive), "left running by the crash");

        Run down = lab("down");

        assertEquals(0, down.exit(), down.output());
        assertTrue(down.output().contains("livelab is not running (its process " + labPid + " ended without ./lab down)"), down.output());
        assertTrue(down.output().contains("ended livelab-reverse-proxy-1 (pid") && down.output().contains("ended livelab-whoami-1 (pid"),
                down.output());
        assertTrue(down.output().contains("removed the lab tool's private copy"), down.output());
        assertTrue(down.output().contains("removed .lab/current.json"), down.output());
        for (ProcessHandle p : programs) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(jarCopy));
        assertFalse(Files.exists(repo.resolve(".lab/current.json")));
    }

    private JsonNode ps() throws Exception {
        JsonNode state = new ObjectMapper().readTree(repo.resolve(".lab/current.json").toFile());
        return new ControlClient(state.get("controlUrl").asText()).call("ps", java.util.Map.of());
    }

    private static String id(JsonNode ps, String name) {
        for (JsonNode c : ps) {
            if (c.get("name").asText().equals(name)) {
                return c.get("id").asText();
            }
        }
        throw new AssertionError("no container " + name + " in " + ps);
    }

    private static String entryPoint(String output) {
        Matcher m = Pattern.compile("entry point :80\\s+(http://\\S+)").matcher(output);
        assertTrue(m.find(), "lab up prints the entry point: " + output);
        return m.group(1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The proxy starts in seconds, and applies a change of its containers within its throttle. */
    private static void awaitStatus(String url, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int got = -1;
        while (got != status && System.nanoTime() < deadline) {
            try {
                got = get(url).statusCode();
            } catch (IOException e) {
                got = -1; // not listening yet
            }
            if (got != status) {
                Thread.sleep(250);
            }
        }
        assertEquals(status, got, url);
    }

    private record Run(int exit, String output) {
    }

    /** The lab command, as {@code ./lab} runs it, in the test's own repository folder. */
    private Run lab(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("switchboard.labJar", ROOT.resolve("labs/target/switchboard-lab.jar").toString()));
        assertTrue(Files.isRegularFile(jar), jar + " is not built: run this test from Maven (it runs after package)");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dswitchboard.root=" + repo, "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the lab command did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("$ lab " + String.join(" ", args) + "\n" + text);
        return new Run(p.exitValue(), text);
    }
}

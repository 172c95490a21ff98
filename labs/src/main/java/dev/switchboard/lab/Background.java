package dev.switchboard.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.control.ControlClient;
import dev.switchboard.lab.control.LabState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lab up -d}: the simulation runs in a background process; this one waits until it has started
 * its containers, and with {@code --wait} until they are healthy and the proxy routes to them.
 * The background process runs from a private copy of the lab tool ({@code .lab/run/}), so that
 * rebuilding the tool while the lab runs (the {@code ./lab} script does when the sources change)
 * never leaves it unable to load its own classes; {@code lab down} removes the copy.
 */
final class Background {
    private Background() {
    }

    static int start(Path root, String lab, boolean solution, Path file, String profile, boolean waitReady)
            throws IOException, InterruptedException {
        Path jar = Lab.ownJar();
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("switchboard."))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        boolean privateJar = Files.isRegularFile(jar);
        Path copy = root.resolve(".lab").resolve("run").resolve("switchboard-lab-" + System.currentTimeMillis() + ".jar");
        if (privateJar) {
            Files.createDirectories(copy.getParent());
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            cmd.addAll(List.of("-jar", copy.toString()));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Lab.class.getName()));
        }
        cmd.addAll(List.of("up", lab, "--quiet-logs"));
        if (privateJar) {
            cmd.add("--private-jar");
        }
        if (solution) {
            cmd.add("--solution");
        }
        if (file != null) {
            cmd.addAll(List.of("--file", file.toAbsolutePath().toString()));
        }
        if (profile != null) {
            cmd.addAll(List.of("--profile", profile));
        }
        Path log = root.resolve(".lab").resolve("background.log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Lab.OUT.println("starting in the background (output: " + root.relativize(log) + ")...");
        long deadline = System.nanoTime() + 10L * 60 * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                Lab.ERR.println(Files.readString(log));
                LabState.recorded(root).filter(s -> s.pid() == p.pid()).ifPresent(s -> LabState.clear(root));
                Files.deleteIfExists(copy);
                return 1;
            }
            Optional<LabState> s = LabState.load(root);
            if (s.isPresent() && s.get().pid() == p.pid()) {
                JsonNode urls = new ControlClient(s.get().controlUrl()).call("urls", Map.of());
                Lab.OUT.println(s.get().project() + " is running in the background (simulated)");
                if (waitReady) {
                    Lab.OUT.println("waiting until every container is healthy and the proxy routes to it (--wait)...");
                    JsonNode unhealthy = new ControlClient(s.get().controlUrl()).call("wait", Map.of()).path("unhealthy");
                    if (!unhealthy.isEmpty()) {
                        Lab.ERR.println("not healthy after 4 minutes: " + unhealthy + " (./lab logs says why; the lab keeps running)");
                        return 1;
                    }
                }
                urls.fields().forEachRemaining(e -> Lab.OUT.printf("  %-20s %s%n", e.getKey(), e.getValue().asText()));
                Lab.OUT.println("Try ./lab ps, ./lab logs, ./lab down.");
                return 0;
            }
            Thread.sleep(250);
        }
        p.destroy();
        p.waitFor();
        Files.deleteIfExists(copy);
        throw new IllegalStateException("the lab did not start within 10 minutes; see " + log);
    }
}

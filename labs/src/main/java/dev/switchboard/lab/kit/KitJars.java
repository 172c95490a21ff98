package dev.switchboard.lab.kit;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.Dockerfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds what a topology needs and is missing or out of date: the proxy jar, and the jar each built
 * image copies (for instance {@code sample-producer/target/sample-producer.jar}), with the Maven
 * wrapper, once. A jar older than a file of its module's {@code src/main} or {@code pom.xml} is out of
 * date (after a {@code git pull}, or an edit): a lab would otherwise run, and a grader grade, yesterday's
 * code.
 */
public final class KitJars {
    private final Path root;
    private final Consumer<String> progress;

    public KitJars(Path root, Consumer<String> progress) {
        this.root = root;
        this.progress = progress;
    }

    /** Modules whose jars the compose file needs and that are not built yet, or older than their sources. */
    public List<String> missing(ComposeFile compose) {
        Set<String> modules = new LinkedHashSet<>();
        if (outOfDate(root.resolve("proxy/target/switchboard-proxy.jar"), root.resolve("proxy"))) {
            modules.add("proxy");
        }
        for (ComposeFile.Service s : compose.services().values()) {
            if (s.build() == null) {
                continue;
            }
            Path dockerfile = s.build().context().resolve(s.build().dockerfile());
            if (!Files.isRegularFile(dockerfile) || !Files.isRegularFile(s.build().context().resolve("pom.xml"))) {
                continue;
            }
            Dockerfile d = Dockerfile.parse(s.build().context(), dockerfile, s.build().args());
            boolean jarMissing = d.copies().values().stream().anyMatch(p -> outOfDate(p, s.build().context()))
                    || d.copies().isEmpty() && !Files.isDirectory(s.build().context().resolve("target"));
            if (jarMissing) {
                modules.add(root.relativize(s.build().context()).toString().replace('\\', '/'));
            }
        }
        return new ArrayList<>(modules);
    }

    /** Whether {@code built} (a jar or a folder made by the build) is missing or older than a source of {@code module}. */
    static boolean outOfDate(Path built, Path module) {
        if (!Files.exists(built)) {
            return true;
        }
        if (!built.toAbsolutePath().normalize().startsWith(module.toAbsolutePath().normalize().resolve("target"))) {
            return false; // a source file the image copies as it is (sample-db's scripts), not something the build makes
        }
        try {
            long made = Files.getLastModifiedTime(built).toMillis();
            Path pom = module.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.getLastModifiedTime(pom).toMillis() > made) {
                return true;
            }
            Path sources = module.resolve("src").resolve("main");
            if (!Files.isDirectory(sources)) {
                return false;
            }
            try (java.util.stream.Stream<Path> files = Files.walk(sources)) {
                return files.anyMatch(f -> {
                    try {
                        return Files.isRegularFile(f) && Files.getLastModifiedTime(f).toMillis() > made;
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Builds the missing modules (and what they depend on); returns when done. */
    public void build(List<String> modules) throws IOException, InterruptedException {
        if (modules.isEmpty()) {
            return;
        }
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> command = new ArrayList<>(List.of(root.resolve(windows ? "mvnw.cmd" : "mvnw").toString(), "-q", "-B",
                "-DskipTests", "package", "-pl", String.join(",", modules), "-am"));
        progress.accept("building " + String.join(", ", modules) + " (missing, or older than their sources; this takes a minute)...");
        Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("the build failed (exit code " + code + "): run " + String.join(" ", command)
                    + " to see why");
        }
    }
}

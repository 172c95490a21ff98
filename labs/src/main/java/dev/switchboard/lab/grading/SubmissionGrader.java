package dev.switchboard.lab.grading;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.kit.Submissions;
import dev.switchboard.lab.topology.ContainerTopology;
import dev.switchboard.lab.topology.SimulatedTopology;
import dev.switchboard.lab.topology.TopologyOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Grades one student's submission (or the working copy): finds its compose file, runs it from a
 * private copy on the chosen backend, under a project name no other grading shares, and gives the
 * kit's own modules to its build contexts. A whole class is {@link dev.switchboard.lab.grading.batch.ClassGrader}.
 */
public final class SubmissionGrader {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path root;
    private final Consumer<String> progress;
    private TopologyOptions options = TopologyOptions.DEFAULT;

    public SubmissionGrader(Path root, Consumer<String> progress) {
        this.root = root;
        this.progress = progress;
    }

    /** Runs the topologies with these options: the proxy's profile, the official Traefik image (containers only). */
    public SubmissionGrader options(TopologyOptions newOptions) {
        this.options = newOptions;
        return this;
    }

    /**
     * The backend named {@code simulated} or {@code containers}. A topology it starts is also stopped
     * when this program is stopped (Ctrl-C, or a batch stopping a grading past its time limit), so its
     * processes and containers never outlive the grading.
     */
    public Grader.Backend backend(String name) {
        Grader.Backend backend = backendNamed(name);
        return (compose, p) -> StopOnExit.INSTANCE.track(backend.start(compose, p));
    }

    private Grader.Backend backendNamed(String name) {
        return switch (name) {
            case "simulated" -> (compose, p) -> SimulatedTopology.start(root, compose,
                    root.resolve(".lab").resolve("grading").resolve(compose.project()), p, options);
            case "containers" -> (compose, p) -> ContainerTopology.start(root, compose, p, options);
            default -> throw new IllegalArgumentException("unknown backend \"" + name + "\": use simulated or containers");
        };
    }

    /** The compose file of {@code lab} in a submission, in one of the layouts {@link Submissions#composeFile} accepts. */
    public Path composeIn(Path submission, Path labDir) {
        return Submissions.composeFile(submission, labDir);
    }

    /**
     * Grades {@code composeFile}; the project gets a unique name so gradings never see each other's
     * containers. The topology runs from a private copy of the files it reads (see {@link #privateCopy}),
     * so checks that edit a mounted file (lab 6) never change the student's own.
     */
    public Report grade(LabSuite suite, Path composeFile, Path submissionRoot, String student, String backendName) {
        ComposeFile compose;
        try {
            // On containers, ${JAVA_IMAGE:-...} and the like also take CI's stand-in base images (no registry there).
            compose = "containers".equals(backendName)
                    ? ComposeParser.parse(composeFile, ContainerTopology.interpolation(composeFile))
                    : ComposeParser.parse(composeFile);
        } catch (RuntimeException e) {
            return new Grader(progress).grade(suite, null, student, backendName, (c, p) -> {
                throw e;
            });
        }
        compose = compose.withProject(compose.project() + "-grade" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        if (submissionRoot != null) {
            compose = Submissions.withKitBuildContexts(compose, root); // students change compose files only
        }
        Path copy = root.resolve(".lab").resolve("grading").resolve(compose.project()).resolve("files");
        ComposeFile graded;
        try {
            graded = privateCopy(compose, copy);
        } catch (IOException e) {
            ComposeFile original = compose;
            return new Grader(progress).grade(suite, original, student, backendName, (c, p) -> {
                throw new Grader.InfrastructureException("cannot copy the submission's files to " + copy + ": " + e.getMessage(), e);
            });
        }
        try {
            return new Grader(progress).grade(suite, graded, student, backendName, backend(backendName));
        } finally {
            deleteTree(copy);
            keepOnlyLogs(copy.getParent());
        }
    }

    /**
     * A grading's state folder holds a database of half a gigabyte: once graded, only the containers'
     * logs are worth keeping (to see what happened), so a batch of submissions does not fill the disk.
     */
    public static void keepOnlyLogs(Path state) {
        if (!Files.isDirectory(state)) {
            return;
        }
        try (Stream<Path> entries = Files.list(state)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (!p.getFileName().toString().equals("logs")) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            // leftovers under .lab/ are harmless
        }
    }

    /**
     * Copies the compose file and what its bind mounts show to containers from the compose file's
     * folder ({@code ./dynamic:/etc/switchboard/dynamic}) into {@code dir}, and returns the compose
     * file as read from there. Bind mounts of paths outside the folder keep pointing at the originals
     * (as absolute paths); build contexts are absolute already. Whatever a check writes through
     * {@link dev.switchboard.lab.topology.Topology#writeFile} lands in the copy.
     */
    public static ComposeFile privateCopy(ComposeFile compose, Path dir) throws IOException {
        Path from = compose.directory().toAbsolutePath().normalize();
        deleteTree(dir);
        Files.createDirectories(dir);
        Path file = dir.resolve(compose.file().getFileName());
        Files.copy(compose.file(), file);
        for (ComposeFile.Service s : compose.services().values()) {
            for (ComposeFile.Volume v : s.volumes()) {
                if (v.named() || !v.source().startsWith(".")) {
                    continue;
                }
                Path source = from.resolve(v.source()).normalize();
                if (source.startsWith(from) && Files.exists(source)) {
                    copyTree(source, dir.resolve(from.relativize(source)));
                }
            }
        }
        return compose.relocated(file, v -> {
            if (v.named() || !v.source().startsWith(".")) {
                return v;
            }
            Path source = from.resolve(v.source()).normalize();
            return source.startsWith(from) ? v : new ComposeFile.Volume(source.toString(), v.target(), v.readOnly(), false);
        });
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Set<String> skipped = Set.of(".git", "target", "node_modules", ".lab");
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = source.relativize(p);
                boolean skip = false;
                for (Path part : rel) {
                    skip |= skipped.contains(part.toString());
                }
                if (skip) {
                    continue;
                }
                Path to = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!Files.exists(to)) {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover copy under .lab/ is harmless
        }
    }

    /** Topologies still running when the program ends are stopped (a JVM shutdown hook). */
    private static final class StopOnExit {
        static final StopOnExit INSTANCE = new StopOnExit();
        private final Set<dev.switchboard.lab.topology.Topology> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private StopOnExit() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> open.forEach(t -> {
                try {
                    t.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            }), "grading-stop-topologies"));
        }

        /** {@code t}, forgotten here once the grading closes it. */
        dev.switchboard.lab.topology.Topology track(dev.switchboard.lab.topology.Topology t) {
            open.add(t);
            return (dev.switchboard.lab.topology.Topology) java.lang.reflect.Proxy.newProxyInstance(
                    dev.switchboard.lab.topology.Topology.class.getClassLoader(),
                    new Class<?>[] {dev.switchboard.lab.topology.Topology.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            open.remove(t);
                        }
                        try {
                            return method.invoke(t, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}

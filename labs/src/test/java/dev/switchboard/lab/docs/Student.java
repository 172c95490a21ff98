package dev.switchboard.lab.docs;

import dev.switchboard.lab.kit.LabFolders;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Who runs the docs' commands: a student on Linux is not root, may not bind ports below 1024, and
 * owns the copy of the repository they work in. When the tests run as root (CI), this creates such a
 * user ({@value #NAME}, in the {@code docker} group where there is one) and a copy of the repository
 * in its home: the sources and the jars the build made (timestamps kept, so {@code ./lab} finds them
 * up to date and builds nothing), without {@code .git}, {@code .lab} and the rest of {@code target/}.
 */
final class Student {
    static final String NAME = "switchboard-student";
    private static final Path ROOT = LabFolders.root();
    /**
     * What the labs run, built before the tests (the proxy, the producer, the lab tool), and the producer's
     * image folder (jar, libraries and class-data archive that its Dockerfile copies).
     */
    private static final List<String> JARS = List.of("proxy/target/switchboard-proxy.jar", "sample-producer/target/sample-producer.jar",
            "labs/target/switchboard-lab.jar", "sample-producer/target/app");
    private static As student;

    /** A user, where its commands run, and how. */
    record As(String name, Path repository, List<String> prefix) {
        List<String> command(String shellCommand) {
            List<String> out = new ArrayList<>(prefix);
            out.addAll(List.of("bash", "-c", shellCommand));
            return out;
        }
    }

    static final As AS_ROOT = new As("root", ROOT, List.of());

    private Student() {
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The user who is not root: this process's own user, or the one made for the tests when this process is root. */
    static synchronized As get() throws IOException, InterruptedException {
        if (!root()) {
            return new As(System.getProperty("user.name"), ROOT, List.of());
        }
        if (student == null) {
            Path home = ensureUser();
            // The lab tool and the jars the topologies run, built as root where they are missing or stale.
            run(List.of("bash", "-c", "./lab --version"), ROOT);
            Path copy = home.resolve("switchboard");
            copyRepository(copy);
            run(List.of("chown", "-R", NAME + ":", copy.toString()), ROOT);
            String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            String javaHome = Path.of(ProcessHandle.current().info().command().orElse("java")).getParent().getParent().toString();
            student = new As(NAME, copy, List.of("runuser", "-u", NAME, "--", "env", "HOME=" + home, "USER=" + NAME,
                    "PATH=" + javaHome + "/bin:" + path));
        }
        return student;
    }

    private static Path ensureUser() throws IOException, InterruptedException {
        if (run(List.of("id", "-u", NAME), ROOT) != 0) {
            int made = run(List.of("useradd", "--create-home", "--shell", "/bin/bash", NAME), ROOT);
            if (made != 0) {
                throw new IllegalStateException("useradd " + NAME + " failed (exit " + made + "): the docs' commands cannot run as "
                        + "a user who is not root");
            }
        }
        if (run(List.of("getent", "group", "docker"), ROOT) == 0) {
            run(List.of("usermod", "-aG", "docker", NAME), ROOT);
        }
        Path home = Path.of("/home", NAME);
        Files.createDirectories(home);
        run(List.of("chown", NAME + ":", home.toString()), ROOT);
        return home;
    }

    /** The repository without what a clone lacks (.git, .lab, build output), plus the jars the build made. */
    private static void copyRepository(Path copy) throws IOException {
        deleteTree(copy);
        Set<String> skipped = Set.of(".git", ".lab", "target", "node_modules", ".idea");
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(ROOT) && (skipped.contains(dir.getFileName().toString()) || transientTestFile(dir))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(copy.resolve(ROOT.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (transientTestFile(file)) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(file, copy.resolve(ROOT.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (NoSuchFileException e) {
                    // removed since the folder was listed: a test class running beside this one cleaned up its file
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // as above: gone since the folder was listed
                }
                throw e;
            }
        });
        for (String jar : JARS) {
            Path from = ROOT.resolve(jar);
            if (!Files.exists(from)) {
                continue;
            }
            try (java.util.stream.Stream<Path> files = Files.walk(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(ROOT.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    /**
     * A grading test's submission beside a lab's files ({@code LabGrading}'s {@code .test-*.yaml}, a
     * mutation's {@code .mutation-*}), there only while that test, running beside this one, grades it.
     */
    private static boolean transientTestFile(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(".test-") || name.startsWith(".mutation-");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0 && !command.get(0).equals("id") && !command.get(0).equals("getent")) {
            System.out.println("$ " + String.join(" ", command) + "\n" + out);
        }
        return p.exitValue();
    }
}

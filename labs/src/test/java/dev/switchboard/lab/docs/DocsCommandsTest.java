package dev.switchboard.lab.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.docs.DocsSite;
import dev.switchboard.lab.kit.LabFolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command the docs show as runnable (a {@code console} block: {@code $ command} lines, each
 * followed by the output it shows) is run against the simulated topology, and the output shown must
 * appear in what it prints. Blocks marked {@code sh} or {@code text} are illustrations and are not run.
 *
 * <p>What the test changes, so that a page can run unattended: {@code ./lab up LAB} runs the lab's
 * reference solution in the background ({@code --solution -d}), since the handout's steps between
 * commands are edits a person makes; commands that serve until stopped ({@code ./lab docs}, the
 * quick start, a {@code while true} loop watching the lab from a second terminal) run in the background; a command whose shown output is not there yet is tried again
 * for a while (servers take seconds to start). Output is compared line by line with numbers and ids
 * made neutral (a port, a date or a container id may differ) and {@code ...} standing for anything.
 *
 * <p>The commands run as a student on Linux runs them: as a user who is not root, who may not bind
 * ports below 1024. Run by root (as CI is), the test creates such a user and gives it its own copy of
 * the repository (sources and the built jars, timestamps kept), and runs every page as that user; the
 * first lab's handout also runs as root, the other path the same commands must work on.
 */
class DocsCommandsTest {
    private static final Path ROOT = LabFolders.root();
    private final List<Process> background = new ArrayList<>();
    private final List<Path> backgroundLogs = new ArrayList<>();
    private Student.As as;
    private boolean labStarted;

    record Command(String command, List<String> shown) {
    }

    static Stream<String> pages() {
        DocsSite site = new DocsSite(ROOT.resolve("docs"));
        return site.pages().stream().filter(p -> !commands(site, p).isEmpty());
    }

    /** Every page as a user who is not root; the first lab's handout also as root, when the test runs as root. */
    static Stream<Arguments> runs() {
        String only = System.getProperty("docs.page"); // e.g. -Ddocs.page=labs/lab3-strip-prefix.md: one page, as the student
        if (only != null && !only.isBlank()) {
            return Stream.of(Arguments.of(only, "student"));
        }
        Stream<Arguments> student = pages().map(p -> Arguments.of(p, "student"));
        return Student.root() ? Stream.concat(student, Stream.of(Arguments.of("labs/lab1-first-routes.md", "root"))) : student;
    }

    static List<Command> commands(DocsSite site, String page) {
        List<Command> out = new ArrayList<>();
        site.parse(page).accept(new AbstractVisitor() {
            @Override
            public void visit(FencedCodeBlock block) {
                if (!"console".equals(block.getInfo() == null ? "" : block.getInfo().trim())) {
                    return;
                }
                Command current = null;
                for (String line : block.getLiteral().split("\n")) {
                    if (line.startsWith("$ ")) {
                        current = new Command(line.substring(2).trim(), new ArrayList<>());
                        out.add(current);
                    } else if (current != null && !line.isBlank()) {
                        current.shown().add(line);
                    }
                }
            }
        });
        return out;
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("runs")
    void commandsRunAsShown(String page, String user) throws Exception {
        as = user.equals("root") ? Student.AS_ROOT : Student.get();
        for (Command c : commands(new DocsSite(ROOT.resolve("docs")), page)) {
            String cmd = c.command();
            if (cmd.matches("\\./lab up( \\S+)?")) {
                run(cmd + " --solution -d --wait", List.of(), 900);
                labStarted = true;
            } else if (cmd.startsWith("./lab docs") || cmd.contains("examples/quickstart/run.sh") || cmd.startsWith("while true")) {
                Path log = java.nio.file.Files.createTempFile("docs-command", ".log");
                backgroundLogs.add(log);
                background.add(new ProcessBuilder(as.command(cmd)).directory(as.repository().toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
            } else {
                run(cmd, c.shown(), 600);
            }
        }
    }

    /**
     * Runs {@code cmd} until its output shows {@code shown} (or, with nothing shown, until it succeeds),
     * trying again for up to 4 minutes: a background lab returns once its containers started, and on a
     * loaded machine the producer takes minutes to be ready.
     */
    private void run(String cmd, List<String> shown, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        Result result;
        while (true) {
            result = execute(cmd, timeoutSeconds);
            // Without root the simulation moves port 80 to 8000 (the handouts say so where a URL shows it)
            String output = as.name().equals("root") ? result.output() : result.output().replace("//reverse-proxy:8000/", "//reverse-proxy/");
            if (shown.isEmpty() ? result.exit() == 0 : OutputMatch.matches(shown, output)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        Result got = result;
        StringBuilder servers = new StringBuilder();
        for (Path log : backgroundLogs) {
            servers.append("\n--- output of a command running in the background:\n").append(java.nio.file.Files.readString(log));
        }
        assertTrue(false, () -> "$ " + cmd + "\nshould " + (shown.isEmpty() ? "succeed" : "show:\n" + String.join("\n", shown))
                + "\nbut printed (exit " + got.exit() + "):\n" + got.output() + servers);
    }

    record Result(int exit, String output) {
    }

    private Result execute(String cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = java.nio.file.Files.createTempFile("docs-command", ".log");
        try {
            Process p = new ProcessBuilder(as.command(cmd)).directory(as.repository().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            String out = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
            return ended ? new Result(p.exitValue(), out) : new Result(-1, out + "\n(timed out after " + timeoutSeconds + " s)");
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : background) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (labStarted) {
            Result down = execute("./lab down", 120);
            System.out.println("$ ./lab down (as " + as.name() + ")\n" + down.output());
        }
        for (Path log : backgroundLogs) {
            java.nio.file.Files.deleteIfExists(log);
        }
    }
}

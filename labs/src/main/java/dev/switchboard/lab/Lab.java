package dev.switchboard.lab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.control.ControlClient;
import dev.switchboard.lab.control.LabState;
import dev.switchboard.proxy.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code lab} command: run a lab topology simulated (the default: no Docker) or with Docker,
 * break it the ways Docker can (kill, stop, pause, scale), read its logs, grade it.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, versionProvider = Lab.Version.class,
        description = "Runs Switchboard's lab topologies, simulated (no Docker needed) or with --docker.",
        subcommands = {Lab.Up.class, Lab.Ps.class, Lab.Kill.class, Lab.Stop.class, Lab.Pause.class, Lab.Unpause.class,
                Lab.Start.class, Lab.Scale.class, Lab.Logs.class, Lab.Down.class, GradeCommand.class, ClassroomCommand.class, Lab.Docs.class, Lab.Diagram.class, Lab.ListLabs.class,
                CommandLine.HelpCommand.class})
public final class Lab implements Runnable {
    static final PrintStream OUT = System.out;
    static final PrintStream ERR = System.err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = withHelp(dev.switchboard.lab.classroom.SolutionOption.removeWithoutSolutions(new CommandLine(new Lab()), rootOrNull()))
                .setExecutionExceptionHandler((e, cmd, parseResult) -> {
                    if (e instanceof ComposeException || e instanceof ConfigException || e instanceof IllegalArgumentException
                            || e instanceof IllegalStateException || e instanceof UnsupportedOperationException) {
                        cmd.getErr().println("lab: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                })
                .execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(OUT);
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Lab.class.getPackage().getImplementationVersion();
            return new String[] {"Switchboard lab " + (v == null ? "dev" : v)};
        }
    }

    static Path root() {
        return Labs.root();
    }

    /** {@code -h}/{@code --help} on every subcommand ({@code lab up --help}), as on {@code lab} itself. */
    static CommandLine withHelp(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            withHelp(sub);
        }
        return command;
    }

    /** The repository, or null outside one (then only the commands that need none work). */
    private static Path rootOrNull() {
        try {
            return Labs.root();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    static ComposeFile composeFile(Path root, String lab, boolean solution, Path file) {
        Path f = file;
        if (f == null) {
            Path dir = Labs.find(root, lab).orElseThrow(() -> new IllegalArgumentException("no lab \"" + lab
                    + "\": the labs are " + String.join(", ", Labs.all(root).stream().map(p -> p.getFileName().toString()).toList())));
            f = dir.resolve(solution ? Labs.SOLUTION : Labs.STARTER);
        }
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(f + ": no such compose file");
        }
        return ComposeParser.parse(f);
    }

    /** The docs server for {@code lab up}; a lab without it still runs. */
    static DocsServer startDocs(Path root) {
        try {
            return DocsServer.start(root, 8090);
        } catch (Exception e) {
            ERR.println("lab: the docs could not be served (" + e.getMessage() + "); the lab runs without them");
            return null;
        }
    }

    static LabState running(Path root) {
        return LabState.load(root).orElseThrow(() -> new IllegalStateException("no lab is running: start one with ./lab up lab1"));
    }

    @Command(name = "up", description = "Starts a lab's topology (simulated by default; --docker hands it to docker compose).")
    static final class Up implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "lab1", description = "the lab: lab1, 1, lab1-first-routes (default: lab1)")
        String lab;

        @Option(names = "--docker", description = "run the same compose file with docker compose instead of the simulation")
        boolean docker;

        @Option(names = "--solution", description = "run the lab's reference solution instead of your compose.yaml")
        boolean solution;

        @Option(names = {"-f", "--file"}, description = "a compose file of your own instead of the lab's")
        Path file;

        @Option(names = {"-d", "--detach"}, description = "start in the background and return")
        boolean detach;

        @Option(names = "--quiet-logs", hidden = true, description = "do not print container logs (background mode)")
        boolean quietLogs;

        @Override
        public Integer call() throws Exception {
            Path root = root();
            Optional<LabState> already = LabState.load(root);
            if (already.isPresent()) {
                throw new IllegalStateException(already.get().project() + " is already running (" + already.get().mode()
                        + "): ./lab down first");
            }
            ComposeFile compose = composeFile(root, lab, solution, file);
            String labId = file == null ? Labs.id(Labs.find(root, lab).orElseThrow()) : compose.project();
            Builder builder = new Builder(root, OUT::println);
            builder.build(builder.missing(compose));
            if (docker) {
                return DockerCompose.up(root, labId, compose, detach);
            }
            if (detach) {
                return Background.start(root, lab, solution, file);
            }
            Path state = root.resolve(".lab").resolve(compose.project());
            OUT.println("starting " + compose.project() + " from " + root.relativize(compose.file()) + " (simulated)");
            SimulatedLab running = SimulatedLab.start(root, labId, compose, state, true, line -> OUT.println("  " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "lab-down"));
            DocsServer docs = startDocs(root);
            running.readyLines().forEach(OUT::println);
            if (docs != null) {
                OUT.printf("  %-20s %s%n", "docs", docs.url());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        docs.close();
                    } catch (Exception e) {
                        // stopping
                    }
                }, "docs-down"));
            }
            if (!quietLogs) {
                LogPrinter.attach(running.simulation().logs(), OUT);
            }
            running.awaitClose();
            OUT.println(compose.project() + " stopped");
            return 0;
        }
    }

    @Command(name = "ps", description = "Lists the containers of the running lab.")
    static final class Ps implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path root = root();
            LabState s = running(root);
            if (LabState.DOCKER.equals(s.mode())) {
                return DockerCompose.run(root, s, List.of("ps"));
            }
            JsonNode ps = new ControlClient(s.controlUrl()).call("ps", Map.of());
            OUT.printf("%-26s %-18s %-10s %-16s %s%n", "NAME", "STATE", "HEALTH", "ADDRESS", "PORTS");
            for (JsonNode c : ps) {
                List<String> ports = new ArrayList<>();
                c.get("ports").forEach(p -> ports.add(p.asText()));
                OUT.printf("%-26s %-18s %-10s %-16s %s%n", c.get("name").asText(), c.get("state").asText(),
                        c.get("health").asText(), c.get("address").asText(), String.join(", ", ports));
            }
            return 0;
        }
    }

    /** kill, stop, pause, unpause and start share their arguments. */
    abstract static class ContainerCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "the service, e.g. app1")
        String service;

        @Parameters(index = "1", arity = "0..1", description = "the replica number (default: every replica)")
        Integer replica;

        /** The subcommand's name, which is also the docker (compose) command it runs: kill, stop, pause... */
        final String command() {
            return getClass().getAnnotation(Command.class).name();
        }


        @Override
        public Integer call() throws Exception {
            Path root = root();
            LabState s = running(root);
            if (LabState.DOCKER.equals(s.mode())) {
                List<String> args = new ArrayList<>();
                if (replica == null) {
                    args.addAll(List.of(command(), service));
                    return DockerCompose.run(root, s, args);
                }
                return DockerCompose.docker(List.of(command(), s.project() + "-" + service + "-" + replica));
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("service", service);
            params.put("replica", replica == null ? null : replica.toString());
            JsonNode done = new ControlClient(s.controlUrl()).call(command(), params);
            if (done.get("containers").isEmpty()) {
                OUT.println("nothing to " + command() + ": no container of " + service + (replica == null ? "" : " " + replica)
                        + " is in a state for it (see ./lab ps)");
            }
            done.get("containers").forEach(c -> OUT.println(c.asText() + ": " + command()));
            return 0;
        }
    }

    @Command(name = "kill", description = "Kills a container abruptly (SIGKILL): its connections are reset, as when it crashes.")
    static final class Kill extends ContainerCommand {
    }

    @Command(name = "stop", description = "Stops a container gracefully (SIGTERM, then SIGKILL after 10 s).")
    static final class Stop extends ContainerCommand {
    }

    @Command(name = "pause", description = "Freezes a container: connections are accepted, nothing answers (SIGSTOP).")
    static final class Pause extends ContainerCommand {
    }

    @Command(name = "unpause", description = "Resumes a paused container.")
    static final class Unpause extends ContainerCommand {
    }

    @Command(name = "start", description = "Starts again a container that was killed or stopped.")
    static final class Start extends ContainerCommand {
    }

    @Command(name = "scale", description = "Sets the number of replicas of a service: lab scale app1=6")
    static final class Scale implements Callable<Integer> {
        @Parameters(index = "0", description = "SERVICE=N")
        String assignment;

        @Override
        public Integer call() throws Exception {
            int eq = assignment.indexOf('=');
            if (eq <= 0 || !assignment.substring(eq + 1).matches("\\d+")) {
                throw new IllegalArgumentException("write the service and the number of replicas as SERVICE=N, e.g. app1=6");
            }
            Path root = root();
            LabState s = running(root);
            if (LabState.DOCKER.equals(s.mode())) {
                return DockerCompose.run(root, s, List.of("up", "-d", "--no-recreate", "--scale", assignment));
            }
            JsonNode done = new ControlClient(s.controlUrl()).call("scale",
                    Map.of("service", assignment.substring(0, eq), "replicas", assignment.substring(eq + 1)));
            done.get("containers").forEach(c -> OUT.println(c.asText()));
            return 0;
        }
    }

    @Command(name = "logs", description = "Shows the logs of the running lab's containers.")
    static final class Logs implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "a service (default: all)")
        String service;

        @Option(names = {"-n", "--tail"}, defaultValue = "100", description = "lines per container (default: 100)")
        int tail;

        @Override
        public Integer call() throws Exception {
            Path root = root();
            LabState s = running(root);
            if (LabState.DOCKER.equals(s.mode())) {
                List<String> args = new ArrayList<>(List.of("logs", "--tail", String.valueOf(tail)));
                if (service != null) {
                    args.add(service);
                }
                return DockerCompose.run(root, s, args);
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("service", service);
            params.put("tail", String.valueOf(tail));
            JsonNode logs = new ControlClient(s.controlUrl()).call("logs", params);
            logs.fields().forEachRemaining(e -> e.getValue().forEach(line -> OUT.println(e.getKey() + " | " + line.asText())));
            return 0;
        }
    }

    @Command(name = "down", description = "Stops the running lab and removes its containers.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path root = root();
            LabState s = running(root);
            if (LabState.DOCKER.equals(s.mode())) {
                int code = DockerCompose.run(root, s, List.of("down"));
                LabState.clear(root);
                return code;
            }
            new ControlClient(s.controlUrl()).call("down", Map.of());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false) && LabState.load(root).isPresent()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            OUT.println(s.project() + " stopped");
            return 0;
        }
    }

    @Command(name = "docs", description = "Serves the guides and reference on http://localhost:8090/ (Ctrl-C stops).")
    static final class Docs implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "8090", description = "the port (default 8090; a free one if it is taken)")
        int port;

        @Override
        public Integer call() throws Exception {
            try (DocsServer docs = DocsServer.start(root(), port)) {
                OUT.println("docs: " + docs.url() + " (Ctrl-C stops)");
                Thread.currentThread().join();
            }
            return 0;
        }
    }

    @Command(name = "diagram", description = "Prints a lab's topology as SVG (the handouts' pictures come from it).")
    static final class Diagram implements Callable<Integer> {
        @Parameters(index = "0", description = "the lab")
        String lab;

        @Option(names = "--solution", description = "draw the reference solution (labels decide which services are routed)")
        boolean solution;

        @Override
        public Integer call() {
            OUT.print(TopologyDiagram.svg(composeFile(root(), lab, solution, null)));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists the labs.")
    static final class ListLabs implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Path lab : Labs.all(root())) {
                OUT.println(lab.getFileName());
            }
            return 0;
        }
    }


}

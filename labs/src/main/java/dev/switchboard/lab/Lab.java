package dev.switchboard.lab;

import dev.switchboard.lab.kit.KitJars;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.control.ComposeCli;
import dev.switchboard.lab.control.ControlServer;
import dev.switchboard.lab.control.LabState;
import dev.switchboard.lab.control.Leftovers;
import dev.switchboard.lab.control.RunningLab;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.sim.AddressPlan;
import dev.switchboard.lab.sim.LoopbackAliases;
import dev.switchboard.lab.sim.Platform;
import dev.switchboard.lab.sim.SimulatedLab;
import dev.switchboard.lab.topology.TopologyOptions;
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
        subcommands = {Lab.Up.class, Lab.Ps.class, Lab.Scale.class, Lab.Logs.class, Lab.Down.class, GradeCommand.class,
                ClassroomCommand.class, Lab.Setup.class, Lab.Docs.class, Lab.Diagram.class, Lab.ListLabs.class,
                CommandLine.HelpCommand.class})
public final class Lab implements Runnable {
    static final PrintStream OUT = System.out;
    static final PrintStream ERR = System.err;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = commandLine(rootOrNull())
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
        return LabFolders.root();
    }

    /**
     * The whole {@code lab} command line: the annotated subcommands and one per {@link RunningLab.Action}
     * ({@code lab kill}...), each with {@code -h}/{@code --help}, and {@code --solution} only where the
     * repository at {@code root} has solutions (null: outside a repository, left as it is).
     */
    static CommandLine commandLine(Path root) {
        CommandLine lab = new CommandLine(new Lab());
        for (RunningLab.Action action : RunningLab.Action.values()) {
            lab.addSubcommand(action.command(), new CommandLine(ContainerCommand.of(action)));
        }
        return withHelp(dev.switchboard.lab.classroom.SolutionOption.removeWithoutSolutions(lab, root));
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
            return LabFolders.root();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    static ComposeFile composeFile(Path root, String lab, boolean solution, Path file) {
        Path f = file;
        if (f == null) {
            Path dir = LabFolders.find(root, lab).orElseThrow(() -> new IllegalArgumentException("no lab \"" + lab
                    + "\": the labs are " + String.join(", ", LabFolders.all(root).stream().map(p -> p.getFileName().toString()).toList())));
            f = dir.resolve(solution ? LabFolders.SOLUTION : LabFolders.STARTER);
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

    /** The running lab, or a clear error. */
    static RunningLab running(Path root) {
        return RunningLab.find(root).orElseThrow(() -> new IllegalStateException("no lab is running: start one with ./lab up lab1"));
    }

    @Command(name = "up", description = {"Starts a lab's topology (simulated by default; --docker hands it to docker compose).",
            "On a running lab it applies the compose file as it is now: services whose definition changed are recreated, "
                    + "the others keep running."})
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

        @Option(names = "--wait", description = "with -d (which it implies): return once every container with a health check "
                + "is healthy and the proxy routes to it, as docker compose up --wait")
        boolean waitReady;

        @Option(names = "--profile", description = "the proxy's behaviour: traefik (Traefik v3.2's, the default) or "
                + "switchboard (every Switchboard improvement); passed as SWITCHBOARD_PROFILE, the command: stays as it is")
        String profile;

        @Option(names = "--traefik", arity = "0..1", fallbackValue = "", paramLabel = "VERSION",
                description = "with --docker: run the official traefik image (default v3.2, the course's) in place of "
                        + "Switchboard's proxy, same command, labels, ports and socket")
        String traefik;

        @Option(names = "--quiet-logs", hidden = true, description = "do not print container logs (background mode)")
        boolean quietLogs;

        @Option(names = "--private-jar", hidden = true, description = "this process runs from a private copy of the lab tool")
        boolean privateJar;

        @Override
        public Integer call() throws Exception {
            Path root = root();
            TopologyOptions options = new TopologyOptions(profile, traefik == null ? null : TopologyOptions.traefikImage(traefik));
            if (options.traefikImage() != null && !docker) {
                throw new IllegalArgumentException("--traefik runs the official Traefik image, which needs Docker: ./lab up "
                        + lab + " --docker --traefik");
            }
            Optional<LabState> recorded = LabState.recorded(root);
            if (recorded.isPresent() && !LabState.DOCKER.equals(recorded.get().mode()) && !recorded.get().alive()) {
                OUT.println(recorded.get().project() + " ended without ./lab down; cleaning up after it:");
                Leftovers.remove(recorded.get(), OUT);
            }
            ComposeFile compose = composeFile(root, lab, solution, file);
            LabModel model = LabModel.of(compose, options.profile());
            Optional<RunningLab> running = RunningLab.find(root);
            if (running.isPresent()) {
                return reapply(root, running.get(), compose, options);
            }
            if (!docker) {
                AddressPlan.requireAddresses(AddressPlan.layoutOf(Platform.current()), AddressPlan::bindable);
            }
            String labId = file == null ? LabFolders.id(LabFolders.find(root, lab).orElseThrow()) : compose.project();
            KitJars builder = new KitJars(root, OUT::println);
            builder.build(builder.missing(compose));
            if (docker) {
                return ComposeCli.up(root, labId, model, options, detach || waitReady, waitReady, OUT);
            }
            if (detach || waitReady) {
                return Background.start(root, lab, solution, file, profile, waitReady);
            }
            return foreground(root, labId, model);
        }

        /** {@code docker compose up} on a running lab: the same project, the file as it is now. */
        private int reapply(Path root, RunningLab running, ComposeFile compose, TopologyOptions options) throws Exception {
            LabState s = running.state();
            if (!s.project().equals(compose.project())) {
                throw new IllegalStateException(s.project() + " is already running (" + s.mode() + "): ./lab down first, then "
                        + "./lab up " + lab);
            }
            if (LabState.DOCKER.equals(s.mode()) != docker) {
                throw new IllegalStateException(s.project() + " runs " + (docker ? "simulated" : "with --docker") + ": ./lab down "
                        + "first to switch");
            }
            KitJars builder = new KitJars(root, OUT::println);
            builder.build(builder.missing(compose));
            OUT.println(s.project() + " is running: applying " + display(root, compose.file()));
            if (docker) {
                Path override = ComposeCli.writeOverride(root, LabModel.of(compose, options.profile()), options);
                s.withOverrideFile(override == null ? null : override.toString()).save(root);
            }
            return running.apply(compose.file(), options.profile(), OUT);
        }

        private int foreground(Path root, String labId, LabModel model) throws Exception {
            ComposeFile compose = model.compose();
            Path state = root.resolve(".lab").resolve(compose.project());
            OUT.println("starting " + compose.project() + " from " + display(root, compose.file()) + " (simulated)");
            SimulatedLab running = SimulatedLab.start(root, model, state, false, line -> OUT.println("  " + line));
            String[] profileNow = {model.profile().orElse(null)};
            LabState[] saved = new LabState[1];
            ControlServer control = new ControlServer(running, (newFile, newProfile) -> {
                LabModel next = LabModel.of(ComposeParser.parse(newFile), newProfile);
                if (!next.project().equals(compose.project())) {
                    throw new IllegalStateException(display(root, newFile) + " is project " + next.project() + ", the running lab is "
                            + compose.project() + ": ./lab down first");
                }
                List<String> changes = running.simulation().apply(next);
                profileNow[0] = newProfile;
                saved[0] = saved[0].withComposeFile(newFile.toString()).withProfile(newProfile);
                saved[0].save(root);
                return changes;
            }, running::close);
            saved[0] = new LabState(root.toString(), labId, compose.project(), compose.file().toString(), null, profileNow[0],
                    LabState.SIMULATED, control.url(), ProcessHandle.current().pid(), state.toString(),
                    privateJar ? ownJar().toString() : null);
            saved[0].save(root);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    control.close();
                } catch (Exception e) {
                    // stopping anyway
                }
                running.close();
                LabState.recorded(root).filter(st -> st.pid() == ProcessHandle.current().pid()).ifPresent(st -> LabState.clear(root));
            }, "lab-down"));
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
            try {
                control.close();
            } catch (Exception e) {
                // stopping anyway
            }
            LabState.recorded(root).filter(st -> st.pid() == ProcessHandle.current().pid()).ifPresent(st -> LabState.clear(root));
            OUT.println(compose.project() + " stopped");
            return 0;
        }
    }

    /** The jar this process runs from. */
    static Path ownJar() {
        try {
            return Path.of(Lab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String display(Path root, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString();
    }

    @Command(name = "ps", description = "Lists the containers of the running lab.")
    static final class Ps implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return running(root()).ps(OUT);
        }
    }

    /** kill, stop, pause, unpause and start: one command each (see {@link #main}), the same arguments. */
    @Command
    static final class ContainerCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "the service, e.g. app1")
        String service;

        @Parameters(index = "1", arity = "0..1", description = "the replica number (default: every replica)")
        Integer replica;

        private final RunningLab.Action action;

        ContainerCommand(RunningLab.Action action) {
            this.action = action;
        }

        /** The subcommand: {@code lab kill app1 2}. */
        static CommandLine.Model.CommandSpec of(RunningLab.Action action) {
            CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.forAnnotatedObject(new ContainerCommand(action));
            spec.name(action.command()).usageMessage().description(switch (action) {
                case KILL -> "Kills a container abruptly (SIGKILL): its connections are reset, as when it crashes.";
                case STOP -> "Stops a container gracefully (SIGTERM, then SIGKILL after 10 s).";
                case PAUSE -> "Freezes a container: connections are accepted, nothing answers (SIGSTOP; on Windows, at its ports).";
                case UNPAUSE -> "Resumes a paused container.";
                case START -> "Starts again a container that was killed or stopped.";
            });
            return spec;
        }

        @Override
        public Integer call() throws Exception {
            return running(root()).act(action, service, replica, OUT);
        }
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
            return running(root()).scale(assignment.substring(0, eq), Integer.parseInt(assignment.substring(eq + 1)), OUT);
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
            return running(root()).logs(service, tail, OUT);
        }
    }

    @Command(name = "down", description = "Stops the running lab and removes what it created (also after a crash), saying what.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path root = root();
            Optional<RunningLab> running = RunningLab.find(root);
            if (running.isPresent()) {
                return running.get().down(OUT);
            }
            Optional<LabState> recorded = LabState.recorded(root);
            if (recorded.isPresent()) {
                OUT.println(recorded.get().project() + " is not running (its process " + recorded.get().pid()
                        + " ended without ./lab down); removing what it left:");
                Leftovers.remove(recorded.get(), OUT);
                return 0;
            }
            OUT.println("no lab is running: nothing to stop");
            return 0;
        }
    }

    @Command(name = "setup", description = {"One-time set-up the simulation needs on this machine (macOS: loopback "
            + "aliases, run with sudo); --undo removes it."})
    static final class Setup implements Callable<Integer> {
        @Option(names = "--undo", description = "remove what setup added")
        boolean undo;

        @Override
        public Integer call() throws Exception {
            Platform platform = Platform.current();
            if (platform != Platform.MACOS) {
                OUT.println("nothing to set up on " + platform.display() + ": every 127.x.y.z address answers on the loopback "
                        + "interface, so each simulated container gets one of its own without help");
                return 0;
            }
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new IllegalStateException("setup changes the network interface lo0: run it as root, sudo ./lab setup"
                        + (undo ? " --undo" : ""));
            }
            LoopbackAliases aliases = new LoopbackAliases(LoopbackAliases.Shell.SYSTEM, LoopbackAliases.LAUNCHD_JOB, OUT::println);
            return undo ? aliases.undo() : aliases.install();
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
            for (Path lab : LabFolders.all(root())) {
                OUT.println(lab.getFileName());
            }
            return 0;
        }
    }


}

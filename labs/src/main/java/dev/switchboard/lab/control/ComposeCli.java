package dev.switchboard.lab.control;

import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.topology.TopologyOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A lab run with {@code --docker}: every command is handed to {@code docker compose} (or Compose v1's
 * {@code docker-compose}) with the lab's project name and files, its output shown as it comes.
 */
public final class ComposeCli implements RunningLab {
    private final LabState state;

    ComposeCli(LabState state) {
        this.state = state;
    }

    /** {@code docker compose} if Compose v2 is there, else {@code docker-compose}. */
    public static List<String> command() {
        try {
            Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return List.of("docker", "compose");
            }
        } catch (IOException e) {
            throw new IllegalStateException("--docker needs Docker: no docker command found. Install Docker, "
                    + "or leave out --docker to run the lab simulated");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of("docker-compose");
    }

    /** {@code docker compose -p PROJECT -f FILE [-f OVERRIDE] ARGS}, run in {@code root}, its output inherited. */
    public static int run(Path root, LabState state, List<String> args, PrintStream out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(List.of("-p", state.project(), "-f", state.composeFile()));
        if (state.overrideFile() != null) {
            cmd.addAll(List.of("-f", state.overrideFile()));
        }
        cmd.addAll(args);
        out.println("$ " + String.join(" ", cmd));
        return new ProcessBuilder(cmd).directory(root.toFile()).inheritIO().start().waitFor();
    }

    /**
     * {@code lab up --docker}: writes the override the options need (see {@link ComposeOverride}), records
     * the lab, and runs {@code docker compose up --build}; in the foreground until Ctrl-C, or detached.
     */
    public static int up(Path root, String labId, LabModel model, TopologyOptions options, boolean detach, boolean waitReady,
            PrintStream out) throws IOException, InterruptedException {
        List<String> compose = command();
        Path override = writeOverride(root, model, options);
        if (options.traefikImage() != null) {
            if (!compose.equals(List.of("docker", "compose"))) {
                throw new IllegalStateException("--traefik needs Docker Compose v2.18 or later (docker compose): its override "
                        + "replaces the proxy's build with build: !reset, which docker-compose v1 does not read");
            }
            requireImage(options.traefikImage(), out);
        }
        LabState state = new LabState(root.toString(), labId, model.project(), model.compose().file().toString(),
                override == null ? null : override.toString(), options.profile(), LabState.DOCKER, null,
                ProcessHandle.current().pid(), null, null);
        state.save(root);
        List<String> args = new ArrayList<>(List.of("up", "--build"));
        if (detach) {
            args.add("-d");
        }
        if (waitReady) {
            args.add("--wait");
        }
        int code = run(root, state, args, out);
        if (waitReady && code == 0) {
            // healthy; the proxy applies the last health events after its providers throttle
            Thread.sleep(model.providersSettle().toMillis());
        }
        if (!detach || code != 0) {
            LabState.clear(root);
        }
        return code;
    }

    /** Writes (or removes) the lab's override in {@code .lab/<project>/}; returns it, or null when none is needed. */
    public static Path writeOverride(Path root, LabModel model, TopologyOptions options) throws IOException {
        Path file = root.resolve(".lab").resolve(model.project()).resolve("compose.override.yaml");
        java.util.Optional<String> yaml = ComposeOverride.of(model, options);
        if (yaml.isEmpty()) {
            java.nio.file.Files.deleteIfExists(file);
            return null;
        }
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, yaml.get());
        return file;
    }

    /** The image is on this machine, or pulled now; otherwise what a user must do. */
    static void requireImage(String image, PrintStream out) throws IOException, InterruptedException {
        if (quiet(List.of("docker", "image", "inspect", image)).exit() == 0) {
            return;
        }
        out.println("pulling " + image + " (--traefik)...");
        Result pull = quiet(List.of("docker", "pull", image));
        if (pull.exit() != 0) {
            throw new IllegalStateException(TopologyOptions.traefikUnavailable(image, pull.output().strip()));
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result quiet(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), output);
    }

    private int compose(List<String> args, PrintStream out) throws IOException, InterruptedException {
        return run(Path.of(state.root()), state, args, out);
    }

    private static int docker(List<String> args, PrintStream out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(args);
        out.println("$ " + String.join(" ", cmd));
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }

    @Override
    public LabState state() {
        return state;
    }

    @Override
    public int ps(PrintStream out) throws Exception {
        return compose(List.of("ps"), out);
    }

    @Override
    public int act(Action action, String service, Integer replica, PrintStream out) throws Exception {
        if (replica == null) {
            return compose(List.of(action.command(), service), out);
        }
        return docker(List.of(action.command(), state.project() + "-" + service + "-" + replica), out);
    }

    @Override
    public int scale(String service, int replicas, PrintStream out) throws Exception {
        return compose(List.of("up", "-d", "--no-recreate", "--scale", service + "=" + replicas), out);
    }

    @Override
    public int logs(String service, int tail, PrintStream out) throws Exception {
        List<String> args = new ArrayList<>(List.of("logs", "--tail", String.valueOf(tail)));
        if (service != null) {
            args.add(service);
        }
        return compose(args, out);
    }

    /** Compose itself recreates the services whose definition changed, and says so. */
    @Override
    public int apply(Path composeFile, String profile, PrintStream out) throws Exception {
        LabState now = LabState.recorded(Path.of(state.root())).orElse(state).withProfile(profile);
        now.save(Path.of(state.root()));
        return run(Path.of(state.root()), now, List.of("up", "-d", "--build"), out);
    }

    @Override
    public int down(PrintStream out) throws Exception {
        int code = compose(List.of("down"), out);
        LabState.clear(Path.of(state.root()));
        return code;
    }
}

package dev.switchboard.lab;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.control.LabState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code --docker}: the same compose file handed to {@code docker compose} (or Compose v1's {@code docker-compose}). */
final class DockerCompose {
    private DockerCompose() {
    }

    /** {@code docker compose version} if Compose v2 is there, else {@code docker-compose}. */
    static List<String> command() {
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

    static int up(Path root, String labId, ComposeFile compose, boolean detach) throws IOException, InterruptedException {
        LabState state = new LabState(labId, compose.project(), compose.file().toString(), LabState.DOCKER, null,
                ProcessHandle.current().pid());
        state.save(root);
        List<String> args = new ArrayList<>(List.of("up", "--build"));
        if (detach) {
            args.add("-d");
        }
        int code = run(root, state, args);
        if (!detach || code != 0) {
            LabState.clear(root);
        }
        return code;
    }

    static int run(Path root, LabState state, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(List.of("-p", state.project(), "-f", state.composeFile()));
        cmd.addAll(args);
        Lab.OUT.println("$ " + String.join(" ", cmd));
        return new ProcessBuilder(cmd).directory(root.toFile()).inheritIO().start().waitFor();
    }

    static int docker(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(args);
        Lab.OUT.println("$ " + String.join(" ", cmd));
        return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
}

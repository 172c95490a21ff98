package dev.switchboard.lab.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code lab up} leaves in {@code .lab/current.json} for the other {@code lab} commands: which
 * lab runs, how (simulated or docker), and where the simulation takes commands.
 */
public record LabState(String lab, String project, String composeFile, String mode, String controlUrl, long pid) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String SIMULATED = "simulated";
    public static final String DOCKER = "docker";

    public static Path file(Path root) {
        return root.resolve(".lab").resolve("current.json");
    }

    public void save(Path root) throws IOException {
        Files.createDirectories(file(root).getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file(root).toFile(), this);
    }

    /** The running lab, if its process is still alive. */
    public static Optional<LabState> load(Path root) {
        Path f = file(root);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            LabState s = JSON.readValue(f.toFile(), LabState.class);
            if (SIMULATED.equals(s.mode()) && ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                return Optional.of(s);
            }
            if (DOCKER.equals(s.mode())) {
                return Optional.of(s);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void clear(Path root) {
        try {
            Files.deleteIfExists(file(root));
        } catch (IOException e) {
            // nothing to clear
        }
    }
}

package dev.switchboard.lab.control;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code lab up} leaves in {@code .lab/current.json} for the other {@code lab} commands: which
 * lab runs, how (simulated or docker), where the simulation takes commands, and what it created on
 * this machine, so that {@code lab down} can remove it even after the lab's process died.
 *
 * @param root         the repository the lab runs from
 * @param composeFile  the compose file it runs
 * @param overrideFile the compose override {@code lab up --docker} generated (--traefik, --profile), or null
 * @param profile      the proxy's profile the lab was started with, or null for the default
 * @param stateDir     the simulation's folder: logs, volumes, database files, the list of its processes
 * @param jarCopy      the private copy of the lab tool a background lab runs from, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LabState(String root, String lab, String project, String composeFile, String overrideFile, String profile,
        String mode, String controlUrl, long pid, String stateDir, String jarCopy) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String SIMULATED = "simulated";
    public static final String DOCKER = "docker";

    public static Path file(Path root) {
        return root.resolve(".lab").resolve("current.json");
    }

    public void save(Path root) throws IOException {
        Files.createDirectories(file(root).getParent());
        Path tmp = file(root).resolveSibling("current.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file(root), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The running lab: a docker lab, or a simulated one whose process is still alive. */
    public static Optional<LabState> load(Path root) {
        return recorded(root).filter(s -> DOCKER.equals(s.mode()) || s.alive());
    }

    /** What {@code current.json} says, whether or not its process still runs. */
    public static Optional<LabState> recorded(Path root) {
        Path f = file(root);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), LabState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether the lab's own process runs. */
    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public LabState withProfile(String newProfile) {
        return new LabState(root, lab, project, composeFile, overrideFile, newProfile, mode, controlUrl, pid, stateDir, jarCopy);
    }

    public LabState withOverrideFile(String newOverride) {
        return new LabState(root, lab, project, composeFile, newOverride, profile, mode, controlUrl, pid, stateDir, jarCopy);
    }

    public LabState withComposeFile(String newFile) {
        return new LabState(root, lab, project, newFile, overrideFile, profile, mode, controlUrl, pid, stateDir, jarCopy);
    }

    public static void clear(Path root) {
        try {
            Files.deleteIfExists(file(root));
        } catch (IOException e) {
            // nothing to clear
        }
    }
}

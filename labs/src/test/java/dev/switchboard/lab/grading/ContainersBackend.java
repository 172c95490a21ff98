package dev.switchboard.lab.grading;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Whether labs can be graded on the containers backend here: its topology class is on the class
 * path (it is built separately) and a Docker engine answers. Container suites call
 * {@link #assumeAvailable()} first and are skipped, saying which is missing, otherwise.
 */
public final class ContainersBackend {
    static final String TOPOLOGY = "dev.switchboard.lab.topology.ContainerTopology";

    private ContainersBackend() {
    }

    public static void assumeAvailable() {
        boolean present;
        try {
            Class.forName(TOPOLOGY);
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        assumeTrue(present, "the containers backend (" + TOPOLOGY + ") is not on the class path yet");
        String engine = dockerServerVersion();
        assumeTrue(engine != null, "no Docker engine answers (docker version --format {{.Server.Version}} failed or timed out)");
    }

    /** The engine's version, or null when the docker CLI or the engine is missing. */
    private static String dockerServerVersion() {
        try {
            Process p = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}").redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.exitValue() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

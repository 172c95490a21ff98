package dev.switchboard.lab.testing;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** The assumption container tests start with: skipped, saying why, where no Docker engine answers. */
public final class Docker {
    private Docker() {
    }

    /** Skips the calling test (class) unless Testcontainers finds a working Docker engine. */
    public static void assumeAvailable() {
        String problem;
        try {
            DockerClientFactory.instance().client();
            problem = null;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            problem = root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
        }
        String why = problem;
        Assumptions.assumeTrue(why == null, () -> "Docker is not usable here (" + why + "): the containers backend's tests"
                + " are skipped. Start a Docker engine (DOCKER_HOST or /var/run/docker.sock); on a machine with no registry run"
                + " .ci/provision-docker.sh and export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost");
    }
}

package dev.switchboard.sampledb.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The base images container tests run on, and the assumptions that skip those tests, with a reason, where
 * they cannot run.
 *
 * <p>Students have the official images (or can pull them); CI has no registry and uses the stand-ins that
 * {@code .ci/provision-docker.sh} builds. An image named by the environment variable wins; otherwise the first
 * of the official image and the stand-in that is present locally; otherwise the official image is pulled, and
 * the test is skipped if that fails.
 */
public final class ContainerImages {
    /** The official MySQL image the course uses, and the MariaDB stand-in CI builds. */
    public static final String MYSQL_OFFICIAL = "mysql:8.4";
    public static final String MYSQL_STAND_IN = "switchboard/mysql:8.4";
    /** The official Java runtime image the Dockerfiles default to, and the Debian stand-in CI builds. */
    public static final String JAVA_OFFICIAL = "eclipse-temurin:17-jre";
    public static final String JAVA_STAND_IN = "switchboard/jre:17";

    private ContainerImages() {
    }

    /** Skips the calling test (class) unless a Docker engine answers and Testcontainers can use it. */
    public static void assumeDocker() {
        String problem = dockerProblem();
        Assumptions.assumeTrue(problem == null, () -> "Docker is not usable here (" + problem + "): container tests"
                + " skipped. Start a Docker engine (DOCKER_HOST or /var/run/docker.sock); on a machine with no"
                + " registry run .ci/provision-docker.sh and export TESTCONTAINERS_RYUK_DISABLED=true"
                + " TESTCONTAINERS_HOST_OVERRIDE=localhost");
    }

    /** A MySQL-compatible image present locally (or pulled), usable as {@code mysql}; skips the test if none. */
    public static DockerImageName mysql() {
        return DockerImageName.parse(resolve("SWITCHBOARD_MYSQL_IMAGE", MYSQL_OFFICIAL, MYSQL_STAND_IN))
                .asCompatibleSubstituteFor("mysql");
    }

    /** A Java 17 runtime image with curl present locally (or pulled); skips the test if none. */
    public static String java() {
        return resolve("SWITCHBOARD_JAVA_IMAGE", JAVA_OFFICIAL, JAVA_STAND_IN);
    }

    /** Null when Testcontainers has a working client, else why not (its cause, e.g. no engine, Ryuk not pullable). */
    private static String dockerProblem() {
        try {
            DockerClientFactory.instance().client();
            return null;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
        }
    }

    private static String resolve(String variable, String official, String standIn) {
        assumeDocker();
        String chosen = System.getenv(variable);
        List<String> candidates = new ArrayList<>();
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen.trim());
        } else {
            candidates.add(official);
            candidates.add(standIn);
        }
        DockerClient docker = DockerClientFactory.instance().client();
        for (String image : candidates) {
            if (presentLocally(docker, image)) {
                return image;
            }
        }
        String toPull = candidates.get(0);
        String failure = pull(docker, toPull);
        Assumptions.assumeTrue(failure == null, () -> "image " + toPull + " is not present and could not be pulled ("
                + failure + "): container test skipped; pull it, set " + variable
                + " to a compatible image, or run .ci/provision-docker.sh to build " + standIn);
        return toPull;
    }

    private static boolean presentLocally(DockerClient docker, String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String pull(DockerClient docker, String image) {
        DockerImageName name = DockerImageName.parse(image);
        try {
            boolean done = docker.pullImageCmd(name.getUnversionedPart())
                    .withTag(name.getVersionPart())
                    .start()
                    .awaitCompletion(10, TimeUnit.MINUTES);
            return done ? null : "timed out after 10 minutes";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}

package dev.switchboard.producer.testing;

import dev.switchboard.sampledb.testing.ContainerImages;
import dev.switchboard.sampledb.testing.SqlScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.MountableFile;

/** Containers the producer's container tests share: the users_db server and the images built from Dockerfiles. */
public final class ContainerSetups {
    public static final String DB_USER = "app";
    public static final String DB_PASSWORD = "app-password";

    private ContainerSetups() {
    }

    /**
     * A MySQL-compatible server whose entrypoint runs the sample-db scripts (from the sample-db jar on the
     * classpath) into {@code users_db}, as the sample-db image does; on {@code network} as {@code db} if given.
     */
    public static MySQLContainer usersDb(Network network) {
        MySQLContainer db = new MySQLContainer(ContainerImages.mysql())
                .withDatabaseName("users_db")
                .withUsername(DB_USER)
                .withPassword(DB_PASSWORD);
        for (String script : SqlScripts.USERS_DB) {
            db.withCopyFileToContainer(MountableFile.forClasspathResource(script),
                    "/docker-entrypoint-initdb.d/" + script.substring(script.lastIndexOf('/') + 1));
        }
        db.withStartupTimeout(Duration.ofMinutes(3));
        if (network != null) {
            db.withNetwork(network).withNetworkAliases("db");
        }
        return db;
    }

    /** The producer image from sample-producer/Dockerfile on the chosen Java runtime image. */
    public static ImageFromDockerfile producerImage() {
        return imageFrom(Path.of("Dockerfile"), Path.of("target", "app", "sample-producer.jar"), "switchboard/sample-producer-it");
    }

    /** The proxy image from proxy/Dockerfile on the chosen Java runtime image. */
    public static ImageFromDockerfile proxyImage() {
        return imageFrom(Path.of("..", "proxy", "Dockerfile"), Path.of("..", "proxy", "target", "switchboard-proxy.jar"),
                "switchboard/proxy-it");
    }

    private static ImageFromDockerfile imageFrom(Path dockerfile, Path jar, String name) {
        Assumptions.assumeTrue(Files.isRegularFile(jar), () -> jar.toAbsolutePath().normalize()
                + " is not built: image test skipped (run it from the reactor: ./mvnw verify)");
        String javaImage = ContainerImages.java();
        return new ImageFromDockerfile(name, false)
                .withDockerfile(dockerfile.toAbsolutePath().normalize())
                .withBuildArg("JAVA_IMAGE", javaImage);
    }
}

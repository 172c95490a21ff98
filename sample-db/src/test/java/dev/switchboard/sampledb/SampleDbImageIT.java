package dev.switchboard.sampledb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sampledb.testing.ContainerImages;
import dev.switchboard.sampledb.testing.SqlScripts;
import dev.switchboard.sampledb.testing.UsersDbAssertions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The sample-db image built from its Dockerfile on a real MySQL-compatible server: the image's entrypoint runs
 * the scripts from /docker-entrypoint-initdb.d, the container healthcheck turns healthy, and the same
 * assertions as on the embedded database hold.
 */
class SampleDbImageIT {
    private static final String ROOT_PASSWORD = "root";
    private static GenericContainer<?> database;

    @BeforeAll
    static void start() {
        String base = ContainerImages.mysql().asCanonicalNameString();
        ImageFromDockerfile image = new ImageFromDockerfile("switchboard/sample-db-it", true)
                .withDockerfile(Path.of("Dockerfile").toAbsolutePath())
                .withBuildArg("MYSQL_IMAGE", base);
        database = new GenericContainer<>(image)
                .withEnv("MYSQL_ROOT_PASSWORD", ROOT_PASSWORD)
                .withExposedPorts(3306)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));
        database.start();
        System.out.println("[sample-db] image built FROM " + base + ", healthy");
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.stop();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://" + database.getHost() + ":" + database.getMappedPort(3306)
                + "/users_db?useSSL=false&allowPublicKeyRetrieval=true", "root", ROOT_PASSWORD);
    }

    @Test
    void containerHealthcheckPasses() {
        String health = DockerClientFactory.instance().client().inspectContainerCmd(database.getContainerId()).exec()
                .getState().getHealth().getStatus();
        assertThat(health).isEqualTo("healthy");
    }

    @Test
    void entrypointRanTheScriptsIntoUsersDb() throws SQLException {
        try (Connection connection = connect()) {
            assertThat(connection.getCatalog()).isEqualTo("users_db");
            UsersDbAssertions.assertSchemaAndSeed(connection);
            UsersDbAssertions.assertConstraints(connection);
        }
    }

    @Test
    void runningTheScriptsAgainChangesNothing() throws SQLException {
        try (Connection connection = connect()) {
            int before = UsersDbAssertions.count(connection);
            SqlScripts.runAll(connection);
            assertThat(UsersDbAssertions.count(connection)).isEqualTo(before);
            UsersDbAssertions.assertSchemaAndSeed(connection);
        }
    }
}

package dev.switchboard.sampledb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.sampledb.testing.SqlScripts;
import dev.switchboard.sampledb.testing.UsersDbAssertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The users_db scripts on the embedded database the producer uses: H2 in MySQL mode. */
class SchemaScriptsTest {
    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        // The producer's default URL (application.properties): one private in-memory database per test here.
        connection = DriverManager.getConnection(
                "jdbc:h2:mem:schema_" + System.nanoTime() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE", "sa", "");
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void scriptsCreateTheUsersTableAndSeedIt() throws SQLException {
        SqlScripts.runAll(connection);
        UsersDbAssertions.assertSchemaAndSeed(connection);
        UsersDbAssertions.assertConstraints(connection);
    }

    @Test
    void runningTheScriptsAgainChangesNothing() throws SQLException {
        SqlScripts.runAll(connection);
        SqlScripts.runAll(connection);
        assertThat(UsersDbAssertions.count(connection)).isEqualTo(UsersDbAssertions.SEED_USERS);
        UsersDbAssertions.assertSchemaAndSeed(connection);
    }

    @Test
    void theJarCarriesEveryScriptTheDockerfileCopies() throws IOException {
        // The Dockerfile copies sql/*.sql; the jar must carry the same files, in the same order.
        List<String> inSqlDirectory;
        try (Stream<Path> files = Files.list(Path.of("sql"))) {
            inSqlDirectory = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        assertThat(SqlScripts.USERS_DB).extracting(r -> r.substring(r.lastIndexOf('/') + 1))
                .containsExactlyElementsOf(inSqlDirectory);
        SqlScripts.USERS_DB.forEach(r -> assertThat(SqlScripts.read(r)).isEqualTo(readFile(r)));
    }

    private static String readFile(String resource) {
        try {
            return Files.readString(Path.of("sql", resource.substring(resource.lastIndexOf('/') + 1)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

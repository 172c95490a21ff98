package dev.switchboard.sampledb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the users_db scripts must have produced, checked the same way on every database they run on (the
 * embedded H2 in MySQL mode and a real MySQL-compatible server), so the one set of scripts is proven on both.
 */
public final class UsersDbAssertions {
    public static final int SEED_USERS = 6;

    private UsersDbAssertions() {
    }

    /** Schema and seed as the scripts define them; leaves the data as it found it. */
    public static void assertSchemaAndSeed(Connection connection) throws SQLException {
        assertThat(columns(connection)).containsExactly("id", "name", "email", "created_at", "updated_at");
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT id, name, email, created_at, updated_at FROM users WHERE id <= 6 ORDER BY id")) {
            List<String> seen = new ArrayList<>();
            while (rows.next()) {
                seen.add(rows.getLong("id") + " " + rows.getString("name") + " <" + rows.getString("email") + ">");
                assertThat(rows.getTimestamp("created_at")).as("created_at default").isNotNull();
                assertThat(rows.getTimestamp("updated_at")).as("updated_at default").isNotNull();
            }
            assertThat(seen).hasSize(SEED_USERS)
                    .startsWith("1 Ada Lovelace <ada.lovelace@example.org>")
                    .endsWith("6 Leslie Lamport <leslie.lamport@example.org>");
        }
    }

    /** Constraints: e-mail unique, name length bounded, ids continue after the seeded ones. */
    public static void assertConstraints(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try {
            long id = insert(connection, "Constraint Check", "constraint.check@example.org");
            assertThat(id).as("generated id after the seeded ids").isGreaterThan(SEED_USERS);
            assertThatThrownBy(() -> insert(connection, "Someone Else", "constraint.check@example.org"))
                    .as("duplicate e-mail").isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThatThrownBy(() -> insert(connection, "x".repeat(101), "too.long@example.org"))
                    .as("name longer than 100").isInstanceOf(SQLException.class);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM users WHERE id = ?")) {
                delete.setLong(1, id);
                assertThat(delete.executeUpdate()).isEqualTo(1);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    public static int count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM users")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static long insert(Connection connection, String name, String email) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (name, email) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setString(2, email);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static List<String> columns(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> names = new ArrayList<>();
        for (String table : List.of("users", "USERS")) {
            try (ResultSet columns = meta.getColumns(connection.getCatalog(), connection.getSchema(), table, null)) {
                while (columns.next()) {
                    names.add(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (!names.isEmpty()) {
                break;
            }
        }
        return names;
    }
}

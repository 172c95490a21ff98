package dev.switchboard.producer.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The {@code users} table through plain JDBC: SQL that MySQL and H2 in MySQL mode both run, no ORM (so a replica
 * starts fast and stays small, and the SQL a student reads is the SQL that runs).
 */
@Repository
public class UserRepository {
    private static final String COLUMNS = "id, name, email, created_at, updated_at";
    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<User> findAll(int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY id LIMIT :limit OFFSET :offset")
                .param("limit", limit)
                .param("offset", offset)
                .query(UserRepository::map)
                .list();
    }

    public Optional<User> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id").param("id", id)
                .query(UserRepository::map).optional();
    }

    public Optional<User> findByEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE email = :email").param("email", email)
                .query(UserRepository::map).optional();
    }

    /** Inserts and returns the stored row; a taken e-mail throws DuplicateKeyException. */
    public User insert(UserRequest user) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO users (name, email) VALUES (:name, :email)")
                .param("name", user.name().strip())
                .param("email", user.email().strip())
                .update(keys, "id");
        long id = keys.getKey().longValue();
        return findById(id).orElseThrow(() -> new IllegalStateException("inserted user " + id + " is gone"));
    }

    /** Updates name and e-mail; empty if there is no such user. */
    public Optional<User> update(long id, UserRequest user) {
        int rows = jdbc.sql("UPDATE users SET name = :name, email = :email, updated_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("name", user.name().strip())
                .param("email", user.email().strip())
                .param("id", id)
                .update();
        return rows == 0 ? Optional.empty() : findById(id);
    }

    public boolean delete(long id) {
        return jdbc.sql("DELETE FROM users WHERE id = :id").param("id", id).update() > 0;
    }

    private static User map(ResultSet row, int rowNumber) throws SQLException {
        return new User(row.getLong("id"), row.getString("name"), row.getString("email"),
                row.getTimestamp("created_at").toInstant(), row.getTimestamp("updated_at").toInstant());
    }
}

package dev.switchboard.producer.users;

import java.time.Instant;

/** A row of {@code users_db.users}, as the API returns it. */
public record User(long id, String name, String email, Instant createdAt, Instant updatedAt) {
}

-- users_db schema: the one table the sample producer serves.
--
-- One source of truth: the official mysql image runs this file from /docker-entrypoint-initdb.d (in the
-- database named by MYSQL_DATABASE, users_db), and the producer runs the same file on its embedded H2
-- database in MySQL mode. So it keeps to SQL both understand, and it is safe to run twice.
CREATE TABLE IF NOT EXISTS users (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    name       VARCHAR(100) NOT NULL,
    email      VARCHAR(254) NOT NULL,
    created_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    CONSTRAINT uk_users_email UNIQUE (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

package dev.switchboard.producer;

import dev.switchboard.producer.testing.ContainerSetups;
import dev.switchboard.producer.testing.ProducerFixture;
import dev.switchboard.sampledb.testing.ContainerImages;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The users API on a real MySQL-compatible server, set up by the sample-db scripts through the image's
 * /docker-entrypoint-initdb.d: the same contract as on the embedded database. (The handout's variables,
 * SPRING_DATASOURCE_URL and friends, are what ProducerImageIT sets on the container.)
 */
class UsersApiMySqlIT extends UsersApiContract {
    private MySQLContainer db;
    private ProducerFixture producer;

    @BeforeAll
    void start() {
        ContainerImages.assumeDocker();
        db = ContainerSetups.usersDb(null);
        db.start();
        producer = ProducerFixture.start(Map.of(
                "spring.datasource.url", db.getJdbcUrl(),
                "spring.datasource.username", ContainerSetups.DB_USER,
                "spring.datasource.password", ContainerSetups.DB_PASSWORD));
        System.out.println("[producer] users API against " + db.getDockerImageName() + " at " + db.getJdbcUrl());
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (db != null) {
            db.stop();
        }
    }

    @Override
    ProducerFixture producer() {
        return producer;
    }
}

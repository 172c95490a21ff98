package dev.switchboard.producer;

import dev.switchboard.producer.testing.ProducerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The users API on the embedded database the producer starts with when no datasource is given. */
class UsersApiTest extends UsersApiContract {
    private ProducerFixture producer;

    @BeforeAll
    void start() {
        producer = ProducerFixture.start();
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
    }

    @Override
    ProducerFixture producer() {
        return producer;
    }
}

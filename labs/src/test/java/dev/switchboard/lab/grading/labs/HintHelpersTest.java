package dev.switchboard.lab.grading.labs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pure parts of the hints: what they read from a URL, a duration or a strategy name. */
class HintHelpersTest {

    @Test
    void theDatabaseHostIsTheComposeServiceAJdbcUrlNames() {
        assertEquals("db", Labs.databaseHost("jdbc:mysql://db:3306/users_db"));
        assertEquals("users-db", Labs.databaseHost("jdbc:mariadb://users-db/users_db?useSSL=false"));
        assertNull(Labs.databaseHost("jdbc:h2:mem:users_db"), "the producer's embedded database has no host");
    }

    @Test
    void aWrongPortHintNamesThePortItSawAndThePortTheProducerListensOn() {
        String hint = Labs.portHint("http://127.12.3.1:8080");
        assertTrue(hint.contains("http://127.12.3.1:8080, port 8080") && hint.contains("server.port=8081"), hint);
    }

    @Test
    void goDurationsAsTheApiShowsThem() {
        assertEquals(1.0, Lab7Algorithms.seconds("1s"));
        assertEquals(0.2, Lab7Algorithms.seconds("200ms"), 1e-9);
        assertEquals(90.0, Lab7Algorithms.seconds("1m30s"));
        assertEquals(0.0, Lab7Algorithms.seconds(""));
    }

    @Test
    void eachStrategyNamesTheTraefikVersionThatHasIt() {
        assertEquals("Traefik v3.2", Lab7Algorithms.since("wrr"));
        assertEquals("Traefik v3.4", Lab7Algorithms.since("p2c"));
        assertEquals("Traefik v3.6", Lab7Algorithms.since("hrw"));
        assertEquals("Traefik v3.6", Lab7Algorithms.since("leasttime"));
        assertEquals("Switchboard only", Lab7Algorithms.since("leastconn"));
        for (Lab7Algorithms.Algorithm a : Lab7Algorithms.ALGORITHMS) {
            if (!a.strategy().contains(" ")) {
                assertEquals(a.since(), Lab7Algorithms.since(a.strategy()), a.id());
            }
        }
    }
}

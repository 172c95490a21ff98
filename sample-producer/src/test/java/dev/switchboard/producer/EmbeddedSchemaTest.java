package dev.switchboard.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.producer.testing.ProducerFixture;
import dev.switchboard.sampledb.testing.SqlScripts;
import dev.switchboard.sampledb.testing.UsersDbAssertions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

/**
 * One source of truth: the producer's embedded database is set up by exactly the sample-db scripts, in the
 * image's order, and ends up as the sample-db tests expect.
 */
class EmbeddedSchemaTest {

    @Test
    void startUpRunsEverySampleDbScriptInOrder() throws Exception {
        try (ProducerFixture producer = ProducerFixture.start()) {
            Environment env = producer.context().getEnvironment();
            List<String> configured = new ArrayList<>();
            configured.add(env.getProperty("spring.sql.init.schema-locations"));
            configured.add(env.getProperty("spring.sql.init.data-locations"));
            assertThat(configured).containsExactlyElementsOf(
                    SqlScripts.USERS_DB.stream().map(r -> "classpath:" + r).toList());
            try (Connection connection = producer.context().getBean(DataSource.class).getConnection()) {
                assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:mem:");
                UsersDbAssertions.assertSchemaAndSeed(connection);
                UsersDbAssertions.assertConstraints(connection);
            }
        }
    }
}

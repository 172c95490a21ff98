package dev.switchboard.producer;

import dev.switchboard.producer.faults.ProcessExit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The sample producer: the service the labs scale behind the proxy (the course's "producer" on port 8081 with
 * MySQL {@code users_db}). A REST API over the {@code users} table, plus what a lab needs to watch a load
 * balancer work: which replica answered ({@code /instance}, {@code X-Instance}), health probes, injected
 * faults, and calls to other services through the reverse proxy.
 */
@SpringBootApplication
@EnableConfigurationProperties(ProducerProperties.class)
public class ProducerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProducerApplication.class, args);
    }

    /** How a crash fault ends the process; tests register their own before the context starts. */
    @Bean
    @ConditionalOnMissingBean
    ProcessExit processExit() {
        return ProcessExit.HALT;
    }
}

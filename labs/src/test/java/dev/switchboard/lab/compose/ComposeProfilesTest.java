package dev.switchboard.lab.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compose's {@code profiles:}: a service that names profiles starts only when one of them is enabled
 * ({@code COMPOSE_PROFILES}), so lab 9's optional Prometheus stays out of the simulated and graded
 * topology unless asked for.
 */
class ComposeProfilesTest {
    private static final String FILE = """
            name: profiles
            services:
              app1:
                image: traefik/whoami
              prometheus:
                image: prom/prometheus
                profiles: ["graphs"]
              debug:
                image: traefik/whoami
                profiles:
                  - debug
                  - graphs2
            """;

    @TempDir
    Path dir;

    private List<String> services(Map<String, String> env) throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, FILE);
        return List.copyOf(ComposeParser.parse(file, env).services().keySet());
    }

    @Test
    void aServiceWithProfilesIsLeftOutUnlessOneOfThemIsEnabled() throws Exception {
        assertEquals(List.of("app1"), services(Map.of()));
        assertEquals(List.of("app1", "prometheus"), services(Map.of("COMPOSE_PROFILES", "graphs")));
        assertEquals(List.of("app1", "debug"), services(Map.of("COMPOSE_PROFILES", "other, graphs2")));
        assertEquals(List.of("app1", "prometheus", "debug"), services(Map.of("COMPOSE_PROFILES", "*")));
    }
}

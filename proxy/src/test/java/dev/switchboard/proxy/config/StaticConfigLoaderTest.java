package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StaticConfigLoaderTest {

    @Test
    void theHandoutsCommandLine() {
        // Figure 5 of the course handout; with --providers.docker in theHandoutsDockerProviderWithTraefiksDefaults.
        StaticConfig c = StaticConfigLoader.load(List.of("--api.insecure=true", "--accesslog=true",
                "--accesslog.filepath=/var/log/traefik/access.log", "--log.level=DEBUG", "--entrypoints.web.address=:80"));
        assertTrue(c.api().insecure());
        assertTrue(c.api().dashboard());
        assertEquals("/var/log/traefik/access.log", c.accessLog().filePath());
        assertEquals("common", c.accessLog().format());
        assertEquals("DEBUG", c.log().level());
        assertEquals(":80", c.entryPoints().get("web").address());
        assertEquals(":8080", c.entryPoints().get("traefik").address(), "api.insecure adds the traefik entry point");
        assertEquals(List.of("web"), c.defaultEntryPoints(), "routers default to every entry point but traefik");
    }

    @Test
    void theHandoutsDockerProviderWithTraefiksDefaults() {
        StaticConfig c = StaticConfigLoader.load(List.of("--api.insecure=true", "--providers.docker", "--accesslog=true",
                "--entrypoints.web.address=:80"));
        StaticConfig.DockerProvider d = c.providers().docker();
        assertNotNull(d, "--providers.docker switches the Docker provider on");
        assertEquals("unix:///var/run/docker.sock", d.endpoint());
        assertTrue(d.exposedByDefault());
        assertTrue(d.watch());
        assertEquals("Host(`{{ normalize .Name }}`)", d.defaultRule());
        assertFalse(d.allowEmptyServices());
        assertNull(d.network());

        StaticConfig all = StaticConfigLoader.load(List.of("--providers.docker.endpoint=tcp://127.0.0.1:2375",
                "--providers.docker.exposedByDefault=false", "--providers.docker.network=demo_shared-network",
                "--providers.docker.defaultRule=Host(`{{ .Name }}.localhost`)",
                "--providers.docker.constraints=Label(`lab`,`3`)", "--providers.docker.watch=false",
                "--providers.docker.allowEmptyServices=true", "--providers.docker.httpClientTimeout=5s",
                "--entrypoints.web.address=:80"));
        assertEquals("tcp://127.0.0.1:2375", all.providers().docker().endpoint());
        assertFalse(all.providers().docker().exposedByDefault());
        assertEquals("demo_shared-network", all.providers().docker().network());
        assertFalse(all.providers().docker().watch());
        assertTrue(all.providers().docker().allowEmptyServices());
        assertEquals(Duration.ofSeconds(5), all.providers().docker().httpClientTimeout());
    }

    @ParameterizedTest
    @MethodSource("dockerMistakes")
    void dockerOptionMistakesStopStartUpWithTheFix(String flag, String fix) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StaticConfigLoader.load(List.of(flag, "--entrypoints.web.address=:80")));
        assertTrue(e.getMessage().contains(fix), e.getMessage());
    }

    static Stream<Arguments> dockerMistakes() {
        return Stream.of(
                Arguments.of("--providers.docker.endpoint=/var/run/docker.sock", "unix:///var/run/docker.sock"),
                Arguments.of("--providers.docker.endpoint=unix://var/run/docker.sock", "three slashes"),
                Arguments.of("--providers.docker.endpoint=ssh://me@host", "unix:// or tcp://"),
                Arguments.of("--providers.docker.exposedbydefualt=false", "--providers.docker.exposedByDefault"),
                Arguments.of("--providers.docker.tls.ca=/ca.pem", "mount /var/run/docker.sock"),
                Arguments.of("--providers.swarm", "docker compose"));
    }

    /**
     * As in Traefik v3.2, a defaultRule or constraints expression that does not parse does not stop
     * start-up: the first stops the Docker provider when it starts, the second leaves every
     * container out (DockerProviderProfileTest, DockerLabelTablesTest).
     */
    @Test
    void dockerTemplateAndConstraintMistakesDoNotStopStartUp() {
        StaticConfig c = StaticConfigLoader.load(List.of("--providers.docker.defaultRule=Host(`{{ normalise .Name }}`)",
                "--providers.docker.constraints=Label(`a`)", "--entrypoints.web.address=:80"));
        assertEquals("Label(`a`)", c.providers().docker().constraints());
    }

    @Test
    void bareBooleansMeanTrueAndSectionsAreOffUnlessNamed() {
        StaticConfig c = StaticConfigLoader.load(List.of("--ping", "--entrypoints.web.address=:80"));
        assertNotNull(c.ping());
        assertEquals("traefik", c.ping().entryPoint());
        assertNull(c.api());
        assertNull(c.accessLog());
        assertEquals(":8080", c.entryPoints().get("traefik").address(), "ping adds the traefik entry point");

        StaticConfig off = StaticConfigLoader.load(List.of("--accesslog=false", "--entrypoints.web.address=:80"));
        assertNull(off.accessLog());
    }

    @Test
    void flagNamesIgnoreCaseAndMergeIntoOneEntryPoint() {
        StaticConfig c = StaticConfigLoader.load(List.of("--entryPoints.web.address=:81",
                "--entrypoints.WEB.forwardedHeaders.trustedIPs=10.0.0.0/8,192.168.0.1",
                "--providers.file.directory=/etc/switchboard", "--providers.file.watch=false",
                "--providers.providersThrottleDuration=250ms"));
        assertEquals(":81", c.entryPoints().get("web").address());
        assertEquals(List.of("10.0.0.0/8", "192.168.0.1"), c.entryPoints().get("web").forwardedHeaders().trustedIPs());
        assertEquals("/etc/switchboard", c.providers().file().directory());
        assertFalse(c.providers().file().watch());
        assertEquals(Duration.ofMillis(250), c.providers().providersThrottleDuration());
    }

    @Test
    void withoutEntryPointsThereIsHttpOnPort80() {
        StaticConfig c = StaticConfigLoader.load(List.of());
        assertEquals(":80", c.entryPoints().get("http").address());
        assertFalse(c.entryPoints().containsKey("traefik"));
    }

    @Test
    void spaceSeparatedValues() {
        StaticConfig c = StaticConfigLoader.load(List.of("--entrypoints.web.address", ":8000", "--log.level", "WARN"));
        assertEquals(":8000", c.entryPoints().get("web").address());
        assertEquals("WARN", c.log().level());
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(List.of("--entrypoints.web.adress=:80"),
                        "unknown flag --entrypoints.web.adress: did you mean --entrypoints.web.address?"),
                Arguments.of(List.of("--acesslog=true"), "did you mean --accesslog?"),
                Arguments.of(List.of("--api.insecur=true"), "did you mean --api.insecure?"),
                Arguments.of(List.of("--frobnicate=1"), "unknown flag --frobnicate: the keys known here are"),
                Arguments.of(List.of("--tracing.otlp=true"), "Traefik option that Switchboard does not support"),
                Arguments.of(List.of("--providers.kubernetescrd"), "file and Docker providers only"),
                Arguments.of(List.of("--certificatesresolvers.le.acme.email=a@b.c"), "ACME certificate resolvers are not supported"),
                Arguments.of(List.of("--entrypoints.web.address=:80/udp"), "TCP only"),
                Arguments.of(List.of("--entrypoints.web.address=80"), "has no port: write it as :80"),
                Arguments.of(List.of("--entrypoints.web.address=:http"), "the port is not a number"),
                Arguments.of(List.of("--log.level=LOUD"), "is not a level"),
                Arguments.of(List.of("--accesslog.format=xml"), "use common, genericCLF or json"),
                Arguments.of(List.of("--providers.file.watch=true"), "needs exactly one of --providers.file.filename"),
                Arguments.of(List.of("--providers.providersThrottleDuration=soon"), "invalid duration \"soon\""),
                Arguments.of(List.of("web"), "unexpected argument \"web\""),
                Arguments.of(List.of("--entrypoints.web.address=:80", "--entrypoints.web=false"), "conflicts with"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFlags")
    void badFlagsStopStartUpWithTheFix(List<String> flags, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> StaticConfigLoader.load(flags));
        assertTrue(e.getMessage().toLowerCase().contains(expected.toLowerCase()), () -> "message was: " + e.getMessage());
    }

    @Test
    void configFileInYamlWithFlagsOnTop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("traefik.yml");
        Files.writeString(file, """
                entryPoints:
                  web:
                    address: ":80"
                providers:
                  file:
                    filename: /etc/dynamic.yml
                api:
                  insecure: true
                accessLog: {}
                log:
                  level: DEBUG
                """);
        StaticConfig c = StaticConfigLoader.load(List.of("--configFile=" + file, "--log.level=WARN"));
        assertEquals(":80", c.entryPoints().get("web").address());
        assertEquals("/etc/dynamic.yml", c.providers().file().filename());
        assertTrue(c.api().insecure());
        assertNotNull(c.accessLog());
        assertEquals("WARN", c.log().level(), "a flag overrides the file");
    }

    @Test
    void configFileInToml(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("traefik.toml");
        Files.writeString(file, """
                [entryPoints.web]
                  address = ":8000"
                [ping]
                [accessLog]
                  format = "json"
                """);
        StaticConfig c = StaticConfigLoader.load(List.of("--configFile=" + file));
        assertEquals(":8000", c.entryPoints().get("web").address());
        assertNotNull(c.ping());
        assertEquals("json", c.accessLog().format());
    }

    @Test
    void errorsInTheConfigFileNameItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("traefik.yml");
        Files.writeString(file, """
                entryPoints:
                  web:
                    address: ":80"
                    adress: ":81"
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> StaticConfigLoader.load(List.of("--configFile=" + file)));
        assertTrue(e.getMessage().startsWith(file + ":4:"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key entryPoints.web.adress: did you mean entryPoints.web.address?"),
                e.getMessage());
    }
}

package dev.switchboard.lab.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.topology.TopologyOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab up --docker --traefik} and {@code --profile}: what the generated compose override says
 * (the official image in place of the proxy's build, nothing else of the service changed, the
 * profile as an environment variable), and what a user is told when the image cannot be pulled. The
 * official image itself cannot run here (no registry).
 */
class ComposeOverrideTest {
    private static final Path ROOT = LabFolders.root();

    @TempDir
    Path dir;

    private static LabModel lab1() {
        return LabModel.of(ComposeParser.parse(ROOT.resolve("compose/lab1-first-routes/compose.solution.yaml"), Map.of()));
    }

    @Test
    void traefikReplacesTheProxysBuildWithTheOfficialImageAndNothingElse() throws Exception {
        String yaml = ComposeOverride.of(lab1(), new TopologyOptions(null, TopologyOptions.traefikImage(""))).orElseThrow();
        assertTrue(yaml.contains("    build: !reset null\n"), "compose's own way to drop the build: " + yaml);
        JsonNode override = new YAMLMapper().readTree(yaml);
        JsonNode proxy = override.path("services").path("reverse-proxy");
        assertEquals("traefik:v3.2", proxy.path("image").asText(), yaml);
        assertEquals("missing", proxy.path("pull_policy").asText());
        assertEquals(List.of("reverse-proxy"), iterable(override.path("services").fieldNames()), "only the proxy is touched");
        assertTrue(proxy.path("command").isMissingNode() && proxy.path("labels").isMissingNode() && proxy.path("ports").isMissingNode(),
                "command, labels and ports stay the file's: " + yaml);
        assertTrue(proxy.path("volumes").isMissingNode(), "the file mounts the socket already: " + yaml);
        assertTrue(proxy.path("environment").isMissingNode(), "no profile asked: " + yaml);
    }

    @Test
    void aVersionOrAWholeImageCanBeNamed() {
        assertEquals("traefik:v3.3", TopologyOptions.traefikImage("v3.3"));
        assertEquals("traefik:3.2.5", TopologyOptions.traefikImage("3.2.5"));
        assertEquals("mirror.example/traefik:v3.2", TopologyOptions.traefikImage("mirror.example/traefik:v3.2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopologyOptions.traefikImage("newest")).getMessage()
                .contains("give a Traefik version such as v3.2"));
    }

    @Test
    void theSocketIsMountedWhenTheFileLeftItOut() throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--providers.docker, --entrypoints.web.address=:80]
                    ports: ["8000:80"]
                """);
        String yaml = ComposeOverride.of(LabModel.of(ComposeParser.parse(file, Map.of())), new TopologyOptions(null, "traefik:v3.3"))
                .orElseThrow();
        JsonNode proxy = new YAMLMapper().readTree(yaml).path("services").path("reverse-proxy");
        assertEquals("traefik:v3.3", proxy.path("image").asText());
        assertFalse(yaml.contains("!reset"), "an image, no build to drop: " + yaml);
        assertEquals("/var/run/docker.sock:/var/run/docker.sock:ro", proxy.path("volumes").path(0).asText(), yaml);
    }

    @Test
    void theProfileIsTheProxysEnvironmentNotItsCommand() throws Exception {
        String yaml = ComposeOverride.of(lab1(), new TopologyOptions("switchboard", null)).orElseThrow();
        JsonNode proxy = new YAMLMapper().readTree(yaml).path("services").path("reverse-proxy");
        assertEquals("switchboard", proxy.path("environment").path("SWITCHBOARD_PROFILE").asText(), yaml);
        assertTrue(proxy.path("image").isMissingNode() && proxy.path("command").isMissingNode(), yaml);
        assertTrue(ComposeOverride.of(lab1(), TopologyOptions.DEFAULT).isEmpty(), "nothing asked: no override");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TopologyOptions("fast", null)).getMessage()
                .contains("use traefik"));
    }

    /** Here no registry answers: the user is told what --traefik needs and what to do instead. */
    @Test
    void anImageThatCannotBePulledSaysWhatToDo() throws Exception {
        assumeTrue(dockerAnswers(), "needs the docker command and an engine (CI provisions one)");
        String image = "traefik:v0.0.0-switchboard-test";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ComposeCli.requireImage(image, new PrintStream(out, true)));
        assertTrue(e.getMessage().startsWith("--traefik runs the official " + image + " in place of Switchboard's proxy, but it is "
                + "not on this machine and could not be pulled ("), e.getMessage());
        assertTrue(e.getMessage().contains("docker pull " + image) && e.getMessage().contains("leave out --traefik"), e.getMessage());
        assertTrue(out.toString().contains("pulling " + image), out.toString());
    }

    private static boolean dockerAnswers() {
        try {
            Process p = new ProcessBuilder("docker", "info").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

package dev.switchboard.lab.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.grading.Suites;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the containers backend decides before it talks to Docker: the file's own mistakes, the
 * proxy's command as the grader runs it, the base images a Dockerfile needs, whether DOCKER_HOST
 * answers. No Docker engine needed.
 */
class ContainerTopologyTest {
    @TempDir
    Path dir;

    private ComposeFile compose(String yaml) throws IOException {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, yaml);
        return ComposeParser.parse(file, Map.of());
    }

    /** Checked before Docker is asked: the outcome is the same with or without an engine. */
    @Test
    void aSubmissionWithAFlagTheProxyRejectsIsASubmissionErrorOnContainers() throws Exception {
        Path root = LabFolders.root();
        Path lab = Files.createDirectories(dir.resolve("compose/lab1-first-routes"));
        String solution = Files.readString(root.resolve("compose/lab1-first-routes/compose.solution.yaml"));
        Files.writeString(lab.resolve("compose.yaml"), solution.replace("--accesslog=true", "--accesslog.fromat=json"));
        SubmissionGrader grading = new SubmissionGrader(root, line -> { });
        Report r = grading.grade(Suites.of("lab1").orElseThrow(), grading.composeIn(dir, root.resolve("compose/lab1-first-routes")),
                dir, "bob", "containers");
        assertEquals(Report.Outcome.SUBMISSION_ERROR, r.outcome(), r.error());
        assertTrue(r.error().contains("fromat"), r.error());
        assertEquals(0, r.score());
    }

    @Test
    void baseImagesComeFromBuildArgumentsAndStagesAreNotImages() {
        String dockerfile = """
                ARG JAVA_IMAGE=eclipse-temurin:17-jre
                ARG BUILDER=maven:3-eclipse-temurin-17
                FROM ${BUILDER} AS build
                FROM build AS test
                FROM $JAVA_IMAGE
                FROM scratch
                """;
        Map<String, String> declared = LabImages.declaredArgs(dockerfile);
        assertEquals(Map.of("JAVA_IMAGE", "eclipse-temurin:17-jre", "BUILDER", "maven:3-eclipse-temurin-17"), declared);
        assertEquals(List.of("maven:3-eclipse-temurin-17", "switchboard/jre:17"),
                LabImages.baseImages(dockerfile, declared, Map.of("JAVA_IMAGE", "switchboard/jre:17")));
        assertTrue(LabModel.isTraefikImage("traefik:v3.2") && LabModel.isTraefikImage("docker.io/library/traefik:v3"));
        assertFalse(LabModel.isTraefikImage("traefik/whoami"));
    }

    @Test
    void aDockerHostNobodyListensOnIsUnreachable() throws Exception {
        assertTrue(DockerEngine.unreachable("unix://" + dir.resolve("none.sock")).contains("does not exist"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
            assertNull(DockerEngine.unreachable("tcp://127.0.0.1:" + port), "something listens");
        }
        assertTrue(DockerEngine.unreachable("tcp://127.0.0.1:" + port).contains("nothing answers on 127.0.0.1:" + port));
        assertTrue(assertThrows(BackendException.class,
                () -> DockerEngine.connect("unix://" + dir.resolve("none.sock"))).getMessage().startsWith("no Docker engine: DOCKER_HOST is"));
    }

    @Test
    void writtenFilesArePutBackAtClose() throws Exception {
        Files.writeString(dir.resolve("kept.yml"), "before");
        LabFiles files = new LabFiles(dir);
        files.write("kept.yml", "during");
        files.write("dynamic/new.yml", "new");
        files.write("dynamic/new.yml", "newer");
        assertEquals("during", Files.readString(dir.resolve("kept.yml")));
        assertEquals("newer", Files.readString(dir.resolve("dynamic/new.yml")));
        files.restore();
        assertEquals("before", Files.readString(dir.resolve("kept.yml")));
        assertFalse(Files.exists(dir.resolve("dynamic")), "created folders go too");
        assertThrows(IllegalArgumentException.class, () -> files.write("../outside.yml", "x"));
        assertThrows(IllegalArgumentException.class, () -> files.write(dir.resolve("abs.yml").toString(), "x"));
    }
}

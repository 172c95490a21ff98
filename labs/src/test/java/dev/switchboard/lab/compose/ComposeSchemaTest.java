package dev.switchboard.lab.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.Suites;
import dev.switchboard.lab.kit.LabFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key in the wrong place is compose's own error, said as compose's schema says it, with where the
 * key belongs: never "not supported by the simulated topology, run with --docker", which sends the
 * student to Docker, where compose rejects the file all the same.
 */
class ComposeSchemaTest {
    @TempDir
    Path dir;

    private ComposeException parsing(String yaml) throws Exception {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ComposeException.class, () -> ComposeParser.parse(file, Map.of()));
    }

    @Test
    void replicasAtTheServiceLevelBelongsUnderDeploy() throws Exception {
        ComposeException e = parsing("""
                services:
                  app1:
                    image: traefik/whoami
                    replicas: 4
                """);
        assertTrue(e.getMessage().startsWith("compose.yaml:4") || e.getMessage().contains("compose.yaml:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("services.app1 additional properties 'replicas' not allowed"), e.getMessage());
        assertTrue(e.getMessage().contains("It belongs under deploy:, written\n  app1:\n    deploy:\n      replicas: 4"), e.getMessage());
        assertFalse(e.getMessage().contains("--docker"), "compose rejects it too: Docker is no way out: " + e.getMessage());
    }

    @Test
    void keysOfAHealthCheckOrABuildWrittenOneLevelTooHigh() throws Exception {
        assertTrue(parsing("""
                services:
                  db:
                    image: mysql:8.4
                    test: ["CMD", "mysqladmin", "ping"]
                """).getMessage().contains("It belongs under healthcheck:"));
        assertTrue(parsing("""
                services:
                  app1:
                    context: ../../sample-producer
                """).getMessage().contains("It belongs under build:"));
    }

    @Test
    void aTypoNamesTheKeyItMeant() throws Exception {
        ComposeException label = parsing("""
                services:
                  app1:
                    image: traefik/whoami
                    label: ["traefik.enable=true"]
                """);
        assertTrue(label.getMessage().contains("\"label\" is not a property of a service") && label.getMessage().contains("Did you mean labels?"),
                label.getMessage());
        ComposeException replica = parsing("""
                services:
                  app1:
                    image: traefik/whoami
                    deploy:
                      replica: 4
                """);
        assertTrue(replica.getMessage().contains("services.app1.deploy additional properties 'replica' not allowed")
                && replica.getMessage().contains("Did you mean replicas?"), replica.getMessage());
        ComposeException top = parsing("""
                servics:
                  app1: {image: traefik/whoami}
                """);
        assertTrue(top.getMessage().contains("Did you mean services?"), top.getMessage());
    }

    /** What compose allows and only the simulation cannot run keeps its own message, with Docker as the way out. */
    @Test
    void aKeyComposeAllowsButTheSimulationDoesNotRunStillPointsToDocker() throws Exception {
        ComposeException e = parsing("""
                services:
                  app1:
                    image: traefik/whoami
                    cap_add: [NET_ADMIN]
                """);
        assertTrue(e.getMessage().contains("not supported by the simulated topology: run this lab with --docker"), e.getMessage());
    }

    /** The grading of such a submission: it failed before with "run this lab with --docker" as its only hint. */
    @Test
    void aGradedSubmissionWithReplicasAtTheServiceLevelIsToldWhereItBelongs() throws Exception {
        Path root = LabFolders.root();
        Path lab = root.resolve("compose/lab2-replicas");
        String solution = Files.readString(lab.resolve(LabFolders.SOLUTION));
        String mistake = solution.replaceFirst("\\n    deploy:\\n      replicas: 4\\n", "\n    replicas: 4\n");
        assertTrue(!mistake.equals(solution), "the solution writes deploy: replicas: 4");
        Path submission = Files.createDirectories(dir.resolve("alice"));
        Files.writeString(submission.resolve("compose.yaml"), mistake);
        SubmissionGrader grading = new SubmissionGrader(root, line -> { });
        Report r = grading.grade(Suites.of("lab2").orElseThrow(), grading.composeIn(submission, lab), submission, "alice", "simulated");
        assertEquals(Report.Outcome.SUBMISSION_ERROR, r.outcome(), r.error());
        assertTrue(r.error().contains("It belongs under deploy:"), r.error());
        assertFalse(r.error().contains("--docker"), r.error());
    }
}

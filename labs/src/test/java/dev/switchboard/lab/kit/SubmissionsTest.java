package dev.switchboard.lab.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submissions as students hand them in: the layouts accepted, and the kit's images whatever the layout. */
class SubmissionsTest {
    private static final Path ROOT = LabFolders.root();
    private static final Path LAB1 = ROOT.resolve("compose/lab1-first-routes");

    @TempDir
    Path dir;

    @Test
    void theKitsBuildContextsAreTheKitsWhateverFolderTheFileWasHandedInFrom() throws Exception {
        Path alice = Files.createDirectories(dir.resolve("alice"));
        Files.copy(LAB1.resolve(LabFolders.SOLUTION), alice.resolve("compose.yaml"));
        ComposeFile compose = ComposeParser.parse(Submissions.composeFile(alice, LAB1), Map.of());
        assertEquals(alice.resolve("../../proxy").normalize(), compose.services().get("reverse-proxy").build().context(),
                "../../proxy from the student's folder points outside it");
        ComposeFile mapped = Submissions.withKitBuildContexts(compose, ROOT);
        assertEquals(ROOT.resolve("proxy"), mapped.services().get("reverse-proxy").build().context());
        assertEquals(ROOT.resolve("sample-producer"), mapped.services().get("app1").build().context());
        assertEquals(ROOT.resolve("sample-db"), mapped.services().get("db").build().context());
    }

    @Test
    void everyLayoutTheDocsAcceptIsFound() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("bob/compose/lab1-first-routes"));
        Files.writeString(repo.resolve("compose.yaml"), "services: {}\n");
        assertEquals(repo.resolve("compose.yaml"), Submissions.composeFile(dir.resolve("bob"), LAB1));
        Path folder = Files.createDirectories(dir.resolve("carol/lab1-first-routes"));
        Files.writeString(folder.resolve("docker-compose.yml"), "services: {}\n");
        assertEquals(folder.resolve("docker-compose.yml"), Submissions.composeFile(dir.resolve("carol"), LAB1));
    }

    @Test
    void aLayoutRefusedSaysWhichAreAcceptedAndWhatWasFound() throws Exception {
        Path dave = Files.createDirectories(dir.resolve("dave/src"));
        Files.writeString(dave.resolve("lab-one.yaml"), "services: {}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Submissions.composeFile(dir.resolve("dave"), LAB1));
        assertTrue(e.getMessage().contains("compose/lab1-first-routes/compose.yaml") && e.getMessage().contains("lab1-first-routes/compose.yaml")
                && e.getMessage().contains("the compose file alone, compose.yaml at the top"), e.getMessage());
        assertTrue(e.getMessage().contains("Found only src/lab-one.yaml"), e.getMessage());
    }

    /** It failed before: ../../proxy from the student's folder named no Dockerfile, and the submission scored 0. */
    @Test
    void aFolderHoldingOnlyComposeYamlIsGraded() throws Exception {
        Path alice = Files.createDirectories(dir.resolve("alice"));
        Files.copy(LAB1.resolve(LabFolders.SOLUTION), alice.resolve("compose.yaml"));
        SubmissionGrader grading = new SubmissionGrader(ROOT, line -> System.out.println("[submission] " + line));
        Report r = grading.grade(Suites.of("lab1").orElseThrow(), grading.composeIn(alice, LAB1), alice, "alice", "simulated");
        assertEquals(Report.Outcome.GRADED, r.outcome(), r.error());
        assertEquals(r.maxPoints(), r.score(), () -> String.valueOf(r.results()));
    }
}

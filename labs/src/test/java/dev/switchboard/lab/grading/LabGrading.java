package dev.switchboard.lab.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.kit.LabFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Grades a lab's starter, solution, or a variant of the solution with one deliberate mistake, as
 * the tests of every lab do. Variants are written next to the lab's files (so relative build
 * contexts stay right) and removed afterwards.
 */
public final class LabGrading {
    private final Path root = LabFolders.root();
    private final Path labDir;
    private final LabSuite suite;

    public LabGrading(String lab) {
        this.labDir = LabFolders.find(root, lab).orElseThrow();
        this.suite = Suites.of(LabFolders.id(labDir)).orElseThrow();
    }

    public LabSuite suite() {
        return suite;
    }

    public Path labDir() {
        return labDir;
    }

    public Report solution(String backend) {
        return grade(labDir.resolve(LabFolders.SOLUTION), backend);
    }

    public Report starter(String backend) {
        return grade(labDir.resolve(LabFolders.STARTER), backend);
    }

    /** The solution with {@code edit} applied to its text: one deliberate mistake. */
    public Report mistake(UnaryOperator<String> edit, String backend) throws IOException {
        String solution = Files.readString(labDir.resolve(LabFolders.SOLUTION));
        String wrong = edit.apply(solution);
        if (wrong.equals(solution)) {
            throw new IllegalArgumentException("the edit changed nothing in the solution");
        }
        Path file = labDir.resolve(".test-" + UUID.randomUUID() + ".yaml");
        Files.writeString(file, wrong);
        try {
            return grade(file, backend);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Report grade(Path compose, String backend) {
        Report r = new SubmissionGrader(root, line -> System.out.println("[" + suite.lab() + "] " + line))
                .grade(suite, compose, null, compose.getFileName().toString(), backend);
        System.out.println(ReportWriter.markdown(r));
        return r;
    }

    /** Every check passed. */
    public static void assertFullMarks(Report r) {
        assertEquals(Report.Outcome.GRADED, r.outcome(), r::error);
        assertEquals(r.maxPoints(), r.score(), () -> "failed: " + failed(r) + seen(r));
    }

    /** Exactly the checks {@code ids} failed; every other one passed. */
    public static void assertOnlyFailed(Report r, String... ids) {
        assertEquals(Report.Outcome.GRADED, r.outcome(), r::error);
        assertEquals(List.of(ids), failed(r), () -> "the one mistake should cost exactly these checks" + seen(r));
        int lost = r.results().stream().filter(c -> !c.passed()).mapToInt(CheckResult::points).sum();
        assertEquals(r.maxPoints() - lost, r.score());
    }

    /** A failed check's hint mentions {@code words}. */
    public static void assertHint(Report r, String checkId, String words) {
        CheckResult c = r.results().stream().filter(x -> x.id().equals(checkId)).findFirst().orElseThrow();
        assertTrue(!c.passed() && c.hint() != null && c.hint().contains(words),
                () -> checkId + " should fail with a hint about \"" + words + "\": " + c);
    }

    /** What the failed checks saw, one line each: the first thing to read when a solution loses points. */
    private static String seen(Report r) {
        StringBuilder out = new StringBuilder();
        r.results().stream().filter(c -> !c.passed()).forEach(c -> out.append("\n  ").append(c.id()).append(": ").append(c.observed()));
        return out.toString();
    }

    public static List<String> failed(Report r) {
        return r.results().stream().filter(c -> !c.passed()).map(CheckResult::id).toList();
    }
}

package dev.switchboard.lab.grading.mutations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.grading.Check;
import dev.switchboard.lab.grading.CheckResult;
import dev.switchboard.lab.grading.LabSuite;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.ReportWriter;
import dev.switchboard.lab.grading.Suites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * A lab's table of realistic single-mistake submissions (see {@link Mutation}), and what each must
 * score: a lab's test class extends this and lists its table. {@link #theTableIsWellFormed} checks the
 * table without grading anything (every edit applies, every check id exists); the test factory grades
 * each mutation on the simulated backend, grouped by what it changes (labels, proxy files, the
 * topology) so that gradings that can share a started topology are next to each other, and checks that
 * exactly the listed checks fail, that the score is what the others are worth, and that the first
 * failed check's hint names the mistake. It prints a table of the cases and their scores.
 */
public abstract class MutationTable {
    /** At least this many mutations per lab (issue 21). */
    static final int MINIMUM = 8;
    /** Gradings at once ({@code -Dmutations.parallel=N}; 2 by default). */
    static final int PARALLEL = Math.max(1, Integer.getInteger("mutations.parallel", 2));
    /**
     * PARALLEL for the whole test JVM, not per table: the labs' test classes run two at a time
     * ({@code labs.test.parallelism}), and two tables of 2 would start 4 topologies at once.
     */
    private static final java.util.concurrent.Semaphore GRADINGS = new java.util.concurrent.Semaphore(PARALLEL);

    /** {@code lab1}. */
    protected abstract String lab();

    /** The lab's mutations. */
    protected abstract List<Mutation> table();

    /** The backend the gradings run on. */
    protected String backend() {
        return "simulated";
    }

    private Path labDir() {
        return LabFolders.find(LabFolders.root(), lab()).orElseThrow();
    }

    private LabSuite suite() {
        return Suites.of(lab()).orElseThrow();
    }

    @Test
    void theTableIsWellFormed() {
        List<Mutation> table = table();
        assertTrue(table.size() >= MINIMUM, lab() + " has " + table.size() + " mutations, fewer than " + MINIMUM);
        Set<String> ids = new HashSet<>(suite().checks().stream().map(Check::id).toList());
        Set<String> names = new HashSet<>();
        for (Mutation m : table) {
            assertTrue(names.add(m.name()), "two mutations are called " + m.name());
            assertTrue(!m.loses().isEmpty() || m.rejected() != null, m.name() + ": a mistake costs at least one check");
            assertTrue(ids.containsAll(m.loses()), m.name() + ": no such check in " + lab() + ": " + m.loses() + " vs " + ids);
            assertTrue(m.hint() != null || m.rejected() != null, m.name() + ": the words the first hint must contain");
            assertTrue(m.loses().containsAll(m.notChecked()), m.name() + ": a check not checked is a check lost");
            try (Submission s = Submission.write(labDir(), m)) {
                assertNotNull(s.kind());
                System.out.println("[" + lab() + "] " + s.kind() + ": " + m.name());
            }
        }
    }

    /** The instructors' page that lists every lab's table with the score each mistake gets. */
    static final String MISTAKES_PAGE = "docs/instructors/mistakes.md";

    /**
     * The mistakes page lists this table as it is: each case, the checks it costs and its score (the
     * points of the checks it keeps; the grading asserts exactly these). With
     * {@code -Dmutations.writePage=true} it rewrites the lab's section instead (run one class at a time).
     */
    @Test
    void theMistakesPageListsThisTable() throws java.io.IOException {
        Path page = LabFolders.root().resolve(MISTAKES_PAGE);
        String begin = "<!-- " + lab() + " -->\n";
        String end = "<!-- /" + lab() + " -->";
        String text = java.nio.file.Files.readString(page);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String section = mistakesSection();
        if (Boolean.getBoolean("mutations.writePage")) {
            text = from >= 0 && to > from ? text.substring(0, from + begin.length()) + section + text.substring(to)
                    : text + "\n" + begin + section + end + "\n";
            java.nio.file.Files.writeString(page, text);
            return;
        }
        assertTrue(from >= 0 && to > from, MISTAKES_PAGE + " has no section for " + lab() + " (" + begin.strip() + " ... " + end
                + "): run this class with -Dmutations.writePage=true");
        assertEquals(section, text.substring(from + begin.length(), to), MISTAKES_PAGE + " lists " + lab() + "'s table as it was: "
                + "run this class with -Dmutations.writePage=true");
    }

    /** The lab's section of the mistakes page: a table of the cases, the checks each costs, its score. */
    String mistakesSection() {
        Map<String, Integer> points = new LinkedHashMap<>();
        suite().checks().forEach(c -> points.put(c.id(), c.points()));
        int max = points.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder b = new StringBuilder("## " + suite().lab().replaceFirst("^lab", "Lab ") + ": " + suite().title() + "\n\n")
                .append("| the student's mistake | checks it costs | score |\n|---|---|---|\n");
        for (Mutation m : table()) {
            if (m.rejected() != null) {
                b.append("| ").append(m.name()).append(" | refused, as compose refuses it | 0 / ").append(max).append(" |\n");
                continue;
            }
            int lost = m.loses().stream().mapToInt(points::get).sum();
            List<String> costs = m.loses().stream().map(id -> "`" + id + "`" + (m.notChecked().contains(id) ? " (not checked)" : ""))
                    .toList();
            b.append("| ").append(m.name()).append(" | ").append(String.join(", ", costs)).append(" | ").append(max - lost)
                    .append(" / ").append(max).append(" |\n");
        }
        return b.toString();
    }

    @TestFactory
    Stream<DynamicTest> eachMistakeCostsItsChecksAndTheFirstHintNamesIt() {
        List<Mutation> ordered = new ArrayList<>();
        // -Dmutations=all grades the whole table; -Dmutations=port,quotes only the mutations whose names contain one of
        // these words (while writing a table); by default (the README's test command) the first mutation of each kind, so
        // that a build grades every lab's label, file and topology mistakes in a few minutes (the whole tables: see
        // docs/instructors/grading.md, "The mutation suite").
        String property = System.getProperty("mutations", "");
        boolean all = property.equals("all");
        List<String> only = all ? List.of() : List.of(property.split(",")).stream().filter(w -> !w.isBlank()).toList();
        boolean sample = !all && only.isEmpty();
        for (Submission.Kind kind : Submission.Kind.values()) {
            for (Mutation m : table()) {
                if (!only.isEmpty() && only.stream().noneMatch(w -> m.name().contains(w))) {
                    continue;
                }
                try (Submission s = Submission.write(labDir(), m)) {
                    if (s.kind() == kind) {
                        ordered.add(m);
                    }
                }
                if (sample && !ordered.isEmpty() && ordered.get(ordered.size() - 1) == m) {
                    break;
                }
            }
        }
        // Gradings run PARALLEL at a time (each topology has its own addresses, project and files): much of a
        // grading is waiting (start-up, health checks, a hung replica), which another grading can use.
        ExecutorService gradings = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "mutation-" + lab());
            t.setDaemon(true);
            return t;
        });
        Map<Mutation, Future<Graded>> reports = new LinkedHashMap<>();
        for (Mutation m : ordered) {
            reports.put(m, gradings.submit(() -> grade(m)));
        }
        gradings.shutdown();
        long start = System.nanoTime();
        List<String> summary = java.util.Collections.synchronizedList(new ArrayList<>());
        Stream<DynamicTest> tests = ordered.stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Graded graded = reports.get(m).get();
            Report r = graded.report();
            summary.add(String.format(Locale.ROOT, "| %s | %s | %s | %s |", lab(), m.name(),
                    r.outcome() == Report.Outcome.GRADED ? r.score() + " / " + r.maxPoints() : r.outcome().name().toLowerCase(Locale.ROOT),
                    String.join(", ", failed(r))));
            try {
                assertCosts(r, m);
            } catch (AssertionError e) {
                if (graded.trouble().isEmpty()) {
                    throw e;
                }
                throw new AssertionError(e.getMessage() + "\n(the grading is not conclusive: " + String.join("; ", graded.trouble())
                        + ". The machine was too busy for the replicas to start in time: grade again on a quieter one)", e);
            }
        }));
        return Stream.concat(tests, Stream.of(DynamicTest.dynamicTest("summary", () -> {
            System.out.printf(Locale.ROOT, "[%s] %d mutations graded in %.0f s, %d at a time%n", lab(), ordered.size(),
                    (System.nanoTime() - start) / 1e9, PARALLEL);
            System.out.println("| lab | mutation | score | checks lost |\n|---|---|---|---|\n" + String.join("\n", summary));
        })));
    }

    /** A grading, and what its start-up said about the machine (a topology not healthy in time grades wrong). */
    record Graded(Report report, List<String> trouble) {
    }

    private Graded grade(Mutation m) throws InterruptedException {
        GRADINGS.acquire();
        try {
            return gradeNow(m);
        } finally {
            GRADINGS.release();
        }
    }

    private Graded gradeNow(Mutation m) {
        try (Submission s = Submission.write(labDir(), m)) {
            long start = System.nanoTime();
            List<String> trouble = java.util.Collections.synchronizedList(new ArrayList<>());
            Report r = new SubmissionGrader(LabFolders.root(), line -> {
                if (line.contains("not healthy after")) {
                    trouble.add(line);
                }
                System.out.println("[" + lab() + " " + m.name() + "] " + line);
            }).grade(suite(), s.compose(), null, m.name(), backend());
            System.out.printf(Locale.ROOT, "[%s] %s (%s): %d / %d in %.1f s%n", lab(), m.name(), s.kind(), r.score(), r.maxPoints(),
                    (System.nanoTime() - start) / 1e9);
            System.out.println(ReportWriter.markdown(r));
            return new Graded(r, List.copyOf(trouble));
        }
    }

    /** Exactly the listed checks failed, the score is the others' points, and the first hint names the mistake. */
    static void assertCosts(Report r, Mutation m) {
        if (m.rejected() != null) {
            assertEquals(Report.Outcome.SUBMISSION_ERROR, r.outcome(), () -> m.name() + ": compose refuses such a file");
            assertEquals(0, r.score());
            assertTrue(r.error().contains(m.rejected()), () -> m.name() + ": the reason should contain \"" + m.rejected() + "\": "
                    + r.error());
            return;
        }
        assertEquals(Report.Outcome.GRADED, r.outcome(), () -> m.name() + ": " + r.error());
        assertEquals(new LinkedHashSet<>(m.loses()), new LinkedHashSet<>(failed(r)), () -> m.name()
                + ": the checks this mistake costs (observed: " + observed(r) + ")");
        int kept = r.results().stream().filter(CheckResult::passed).mapToInt(CheckResult::points).sum();
        assertEquals(kept, r.score());
        CheckResult first = r.results().stream().filter(c -> !c.passed()).findFirst().orElseThrow();
        assertTrue(first.hint() != null && first.hint().contains(m.hint()), () -> m.name() + ": the first hint (of \""
                + first.name() + "\") should contain \"" + m.hint() + "\": " + first.hint());
        assertTrue(!selfContradicting(first.hint()), () -> m.name() + ": the hint says X: it should be X: " + first.hint());
        for (String id : m.notChecked()) {
            CheckResult c = r.results().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            assertTrue(c.observed().startsWith("not checked"), () -> m.name() + ": " + id + " should end at once as not checked: "
                    + c.observed());
        }
    }

    /**
     * A hint of the form "... X ...: it should be X" (X a path, label or rule) tells the student to write
     * what they wrote (issue 21, class 3).
     */
    static boolean selfContradicting(String hint) {
        java.util.regex.Matcher should = java.util.regex.Pattern.compile("should (?:be|strip|say|use) (\\S+)").matcher(hint);
        while (should.find()) {
            String x = should.group(1).replaceAll("[.,;:)]+$", "");
            if (x.matches(".*[/.=`].*") && hint.substring(0, should.start()).contains(x)) {
                return true;
            }
        }
        return false;
    }

    static List<String> failed(Report r) {
        return r.results().stream().filter(c -> !c.passed()).map(CheckResult::id).toList();
    }

    private static String observed(Report r) {
        List<String> out = new ArrayList<>();
        for (CheckResult c : r.results()) {
            out.add(c.id() + (c.passed() ? " passed" : " failed: " + c.observed() + " [hint: " + c.hint() + "]"));
        }
        return String.join("; ", out);
    }
}

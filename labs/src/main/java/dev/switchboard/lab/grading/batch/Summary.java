package dev.switchboard.lab.grading.batch;

import dev.switchboard.lab.grading.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an instructor reads after a batch: how many were graded and how long it took, who was not
 * graded and why (to grade again), which submissions have identical lab files, and roster mismatches.
 */
public record Summary(String lab, int submissions, Duration wall, int jobs, String jobsWhy, double loadAtEnd, List<Report> reports,
        List<List<String>> identical, List<String> unchangedStarter, List<String> referenceSolution, List<String> notOnRoster) {

    static Summary of(ClassGrader.Options o, List<Report> reports, Map<String, String> fingerprints, Duration wall, int jobs,
            String jobsWhy) {
        List<List<String>> identical = IdenticalSubmissions.groups(fingerprints);
        List<String> starter = new ArrayList<>();
        List<String> solution = new ArrayList<>();
        try {
            String starterPrint = IdenticalSubmissions.fingerprint(IdenticalSubmissions.starterFiles(o.labDir()));
            Map<String, Path> solutionFiles = IdenticalSubmissions.solutionFiles(o.labDir());
            String solutionPrint = solutionFiles.isEmpty() ? null : IdenticalSubmissions.fingerprint(solutionFiles);
            fingerprints.forEach((student, fp) -> {
                if (fp.equals(starterPrint)) {
                    starter.add(student);
                } else if (fp.equals(solutionPrint)) {
                    solution.add(student);
                }
            });
        } catch (IOException e) {
            // the kit's lab folder cannot be read: no comparison with it
        }
        List<String> notOnRoster = new ArrayList<>();
        if (o.roster() != null) {
            for (Report r : reports) {
                if (r.outcome() != Report.Outcome.NO_SUBMISSION && o.roster().of(r.student()).isEmpty()) {
                    notOnRoster.add(r.student());
                }
            }
        }
        int submissions = (int) reports.stream().filter(r -> r.outcome() != Report.Outcome.NO_SUBMISSION).count();
        return new Summary(o.suite().lab(), submissions, wall, jobs, jobsWhy,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), reports, identical, starter,
                solution, notOnRoster);
    }

    /** The students whose outcome is {@code outcome}. */
    public List<String> with(Report.Outcome outcome) {
        return reports.stream().filter(r -> r.outcome() == outcome).map(Report::student).toList();
    }

    /** The summary in Markdown (summary.md). */
    public String markdown() {
        StringBuilder b = new StringBuilder("# ").append(lab).append(": batch summary\n\n");
        b.append(body());
        return b.toString();
    }

    /** The summary as printed at the end of the batch. */
    public String text() {
        return "\n" + body();
    }

    private String body() {
        StringBuilder b = new StringBuilder();
        List<Report> scored = reports.stream().filter(r -> r.outcome().scored()).toList();
        b.append(String.format(Locale.ROOT, "%d submission%s of %s in %s with %d job%s at once (%s); load average at the end %.1f.%n%n",
                submissions, submissions == 1 ? "" : "s", lab, Progress.duration(wall), jobs, jobs == 1 ? "" : "s", jobsWhy, loadAtEnd));
        b.append("- graded: ").append(with(Report.Outcome.GRADED).size()).append('\n');
        line(b, "compose file cannot run (0 points)", with(Report.Outcome.SUBMISSION_ERROR));
        for (Report.Outcome o : List.of(Report.Outcome.TIMED_OUT, Report.Outcome.INFRASTRUCTURE_ERROR, Report.Outcome.INTERRUPTED,
                Report.Outcome.NO_SUBMISSION)) {
            line(b, "not graded, " + ClassGrader.lower(o) + " (no score: grade again)", with(o));
        }
        if (!scored.isEmpty()) {
            double mean = scored.stream().mapToInt(Report::score).average().orElse(0);
            List<Integer> sorted = scored.stream().map(Report::score).sorted().toList();
            b.append(String.format(Locale.ROOT, "- scores: mean %.1f, median %d, out of %d%n", mean, sorted.get(sorted.size() / 2),
                    scored.get(0).maxPoints()));
        }
        if (!identical.isEmpty() || !unchangedStarter.isEmpty() || !referenceSolution.isEmpty()) {
            b.append("\nIdentical lab files (compared after normalising line endings, trailing spaces and blank lines):\n\n");
            for (List<String> group : identical) {
                String note = group.stream().allMatch(unchangedStarter::contains) ? " (the unchanged starter)"
                        : group.stream().allMatch(referenceSolution::contains) ? " (the reference solution, verbatim)" : "";
                b.append("- ").append(String.join(", ", group)).append(note).append('\n');
            }
            List<String> alone = new ArrayList<>(unchangedStarter);
            identical.forEach(alone::removeAll);
            line(b, "the unchanged starter", alone);
            List<String> copied = new ArrayList<>(referenceSolution);
            identical.forEach(copied::removeAll);
            line(b, "the reference solution, verbatim", copied);
        }
        if (!notOnRoster.isEmpty()) {
            b.append("\nFolders not on the roster (not in the gradebook files): ").append(String.join(", ", notOnRoster)).append('\n');
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String what, List<String> students) {
        if (!students.isEmpty()) {
            b.append("- ").append(what).append(": ").append(students.size()).append(" (").append(String.join(", ", students))
                    .append(")\n");
        }
    }
}

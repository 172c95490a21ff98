package dev.switchboard.lab;

import dev.switchboard.lab.grading.LabSuite;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.ReportFormat;
import dev.switchboard.lab.grading.ReportWriter;
import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.grading.Suites;
import dev.switchboard.lab.grading.batch.ClassGrader;
import dev.switchboard.lab.grading.batch.Roster;
import dev.switchboard.lab.kit.KitJars;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.topology.TopologyOptions;
import dev.switchboard.proxy.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab grade}: the working copy, one student's submission, or a whole class in parallel. */
@Command(name = "grade", description = "Grades a lab: your working copy, a student's submission, or a folder of them.")
final class GradeCommand implements Callable<Integer> {
    /** A grading that takes longer is stopped and reported as timed out (a busy 2-core machine grades lab 7 in about 3 minutes). */
    static final String DEFAULT_TIMEOUT = "10m";

    @Parameters(index = "0", description = "the lab: lab1, 1, lab1-first-routes")
    String lab;

    @Option(names = "--submission", description = "a student's copy of the repository (or a folder with compose.yaml)")
    Path submission;

    @Option(names = "--submissions", description = "a folder with one folder per student: writes scores.csv, a report each and a summary")
    Path submissions;

    @Option(names = "--backend", defaultValue = "simulated", description = "simulated (default) or containers (needs Docker)")
    String backend;

    @Option(names = "--solution", description = "grade the lab's reference solution (instructors: check the grader)")
    boolean solution;

    @Option(names = "--out", description = "where reports go (default: .lab/grades/<lab>)")
    Path out;

    @Option(names = "--format", defaultValue = "markdown,html,junit", paramLabel = "LIST",
            description = "the report files, comma-separated: markdown (report.md), html, junit (report.xml), classroom "
                    + "(classroom.json, for GitHub Classroom), json (result.json); default: markdown,html,junit")
    String format;

    @Option(names = "--jobs", paramLabel = "N", description = "with --submissions: gradings at once (default: one per core, "
            + "fewer if memory is short; the choice is printed)")
    Integer jobs;

    @Option(names = "--timeout", defaultValue = DEFAULT_TIMEOUT, paramLabel = "DURATION", description = "with --submissions: "
            + "a grading still running after this is stopped and reported as timed out, not as zero (default: "
            + DEFAULT_TIMEOUT + "; 90s, 15m...)")
    String timeout;

    @Option(names = "--roster", paramLabel = "FILE", description = "with --submissions: a CSV (folder, student_id, name, email) "
            + "that adds the students to scores.csv and writes gradebook-moodle.csv and gradebook-canvas.csv")
    Path roster;

    @Option(names = "--assignment", paramLabel = "NAME", description = "with --roster: the grade column's name in the gradebook "
            + "files (default: \"<lab>: <title>\")")
    String assignment;

    @Option(names = "--profile", description = "the proxy's behaviour profile: traefik (the default) or switchboard")
    String profile;

    @Option(names = "--traefik", arity = "0..1", fallbackValue = "", paramLabel = "VERSION",
            description = "with --backend containers: grade against the official traefik image (default v3.2)")
    String traefik;

    /** What {@code --profile} and {@code --traefik} ask of the topology; {@code --traefik} needs the containers backend. */
    TopologyOptions topologyOptions() {
        if (traefik != null && !"containers".equals(backend)) {
            throw new IllegalArgumentException("--traefik grades against the official Traefik image, which needs Docker: "
                    + "./lab grade " + lab + " --backend containers --traefik");
        }
        return new TopologyOptions(profile, traefik == null ? null : TopologyOptions.traefikImage(traefik));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Lab.root();
        Path labDir = LabFolders.find(root, lab).orElseThrow(() -> new IllegalArgumentException("no lab \"" + lab + "\""));
        String labId = LabFolders.id(labDir);
        LabSuite suite = Suites.of(labId).orElseThrow(() -> new IllegalArgumentException(labId + " has no grading suite"));
        Path reports = out != null ? out : root.resolve(".lab").resolve("grades").resolve(labId);
        Set<ReportFormat> formats = ReportFormat.parse(format);
        TopologyOptions topology = topologyOptions();
        if (submissions == null && (jobs != null || roster != null || assignment != null)) {
            throw new IllegalArgumentException("--jobs, --roster and --assignment go with --submissions DIR (a whole class)");
        }
        if (submissions != null) {
            if (jobs != null && jobs < 1) {
                throw new IllegalArgumentException("--jobs " + jobs + ": at least 1");
            }
            Duration limit = Durations.parse(timeout);
            if (limit.isZero() || limit.isNegative()) {
                throw new IllegalArgumentException("--timeout " + timeout + ": give a positive duration, e.g. 10m");
            }
            ClassGrader.Options options = new ClassGrader.Options(root, suite, labDir, submissions.toAbsolutePath().normalize(),
                    reports.toAbsolutePath().normalize(), backend, jobs == null ? 0 : jobs, limit, formats,
                    roster == null ? null : Roster.read(roster), assignment != null ? assignment : labId + ": " + suite.title(),
                    ClassGrader.thisLabCommand(root), topology);
            new ClassGrader(options, Lab.OUT).run();
            Lab.OUT.println("reports: " + reports + " (scores.csv, summary.md" + (roster == null ? "" : ", gradebook-moodle.csv, "
                    + "gradebook-canvas.csv") + ", one folder per student)");
            return 0;
        }
        // The kit's jars the lab runs (the proxy, the producer): a missing one is the machine's problem, never the student's.
        KitJars builder = new KitJars(root, line -> Lab.ERR.println("  " + line));
        builder.build(builder.missing(dev.switchboard.lab.compose.ComposeParser.parse(labDir.resolve(LabFolders.STARTER))));
        SubmissionGrader grading = new SubmissionGrader(root, line -> Lab.ERR.println("  " + line)).options(topology);
        Path compose;
        String student;
        if (submission != null) {
            compose = grading.composeIn(submission, labDir);
            student = submission.toAbsolutePath().normalize().getFileName().toString();
        } else {
            compose = labDir.resolve(solution ? LabFolders.SOLUTION : LabFolders.STARTER);
            student = solution ? "solution" : "working copy";
        }
        Report report = grading.grade(suite, compose, submission, student, backend);
        ReportWriter.write(report, reports, formats);
        Lab.OUT.println(ReportWriter.markdown(report));
        Lab.OUT.println("reports: " + String.join(", ", formats.stream().map(f -> reports.resolve(f.fileName()).toString()).toList()));
        return report.outcome() == Report.Outcome.INFRASTRUCTURE_ERROR ? 2 : 0;
    }
}

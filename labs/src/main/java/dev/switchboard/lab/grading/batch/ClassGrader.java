package dev.switchboard.lab.grading.batch;

import dev.switchboard.lab.grading.LabSuite;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.ReportFormat;
import dev.switchboard.lab.grading.ReportJson;
import dev.switchboard.lab.grading.ReportWriter;
import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.kit.KitJars;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.topology.TopologyOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Grades a class: every folder of a submissions folder, {@code jobs} at a time, each grading a
 * program of its own (see {@link GradingProcess}) with a time limit. Writes each student's reports
 * into {@code out/<folder>/} as it finishes, and after each one {@code scores.csv}; at the end (or on
 * Ctrl-C, with what finished so far) the summary, and with a roster the gradebook files for Moodle and
 * Canvas. A grading that runs past the time limit is stopped and reported as timed out, never as zero.
 */
public final class ClassGrader {

    /**
     * What to grade and how. {@code jobs} 0 means the default ({@link Capacity#jobs()}); {@code topology}:
     * the proxy's profile and the official Traefik image, passed on to each grading ({@code --profile}, {@code --traefik}).
     */
    public record Options(Path root, LabSuite suite, Path labDir, Path submissions, Path out, String backend, int jobs,
            Duration timeout, Set<ReportFormat> formats, Roster roster, String assignment, List<String> labCommand,
            TopologyOptions topology) {
    }

    /** What a batch produced; {@code processIds}: each grading's program (its topology's project is {@code <lab>-grade<pid>-<n>}). */
    public record Result(List<Report> reports, Summary summary, Map<String, Long> processIds) {
    }

    private final Options options;
    private final PrintStream console;
    private final Map<String, Report> done = new ConcurrentHashMap<>();
    private final Map<String, GradingProcess> running = new ConcurrentHashMap<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Object writing = new Object();
    private Progress progress;
    private List<String> students = List.of();
    private Map<String, String> fingerprints = Map.of();
    private Summary summary;
    private long start;
    private int jobs;
    private String jobsWhy;

    public ClassGrader(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    /** The launcher of the lab command this process runs: the same Java, class path and repository. */
    public static List<String> thisLabCommand(Path root) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Dswitchboard.root=" + root);
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.switchboard.lab.Lab");
        return command;
    }

    public Result run() throws IOException, InterruptedException {
        start = System.nanoTime();
        Path submissions = options.submissions();
        if (!Files.isDirectory(submissions)) {
            throw new IllegalArgumentException("--submissions " + submissions + ": no such folder");
        }
        try (Stream<Path> dirs = Files.list(submissions)) {
            students = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().toList();
        }
        Files.createDirectories(options.out());
        dev.switchboard.lab.compose.ComposeFile starter = dev.switchboard.lab.compose.ComposeParser.parse(
                options.labDir().resolve(LabFolders.STARTER));
        // The kit's jars the lab runs, built once here: gradings never race to build them, and a missing jar is never a zero.
        KitJars builder = new KitJars(options.root(), console::println);
        builder.build(builder.missing(starter));
        Capacity capacity = Capacity.of(starter);
        jobs = options.jobs() > 0 ? options.jobs() : capacity.jobs();
        jobsWhy = options.jobs() > 0 ? "--jobs " + options.jobs() + "; " + capacity.explain(options.suite().lab())
                : "the default: " + capacity.explain(options.suite().lab()) + "; --jobs N to choose";
        console.printf("grading %d submission%s of %s with %d job%s at once (%s); time limit %s per grading%n", students.size(),
                students.size() == 1 ? "" : "s", options.suite().lab(), jobs, jobs == 1 ? "" : "s", jobsWhy,
                Progress.duration(options.timeout()));
        fingerprints = fingerprints();
        progress = new Progress(console, students.size());
        Thread hook = new Thread(this::interrupted, "grading-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, Math.max(1, students.size()))), r -> {
            Thread t = new Thread(r, "grading");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String s : students) {
                pool.submit(() -> {
                    gradeOne(s);
                    return null;
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                running.values().forEach(GradingProcess::remember);
                progress.tick(running.size());
            }
        } finally {
            pool.shutdownNow();
        }
        finish();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
        return new Result(sortedReports(), summary, Map.copyOf(pids));
    }

    private Map<String, String> fingerprints() {
        Map<String, String> out = new TreeMap<>();
        SubmissionGrader locator = new SubmissionGrader(options.root(), line -> { });
        for (String s : students) {
            Path dir = options.submissions().resolve(s);
            try {
                Path compose = locator.composeIn(dir, options.labDir());
                boolean inRepo = !compose.getParent().equals(dir.toAbsolutePath().normalize()) && !compose.getParent().equals(dir);
                out.put(s, IdenticalSubmissions.fingerprint(IdenticalSubmissions.labFiles(compose, inRepo)));
            } catch (IllegalArgumentException | IOException e) {
                // no compose file: graded as a submission error, compared with nothing
            }
        }
        return out;
    }

    private void gradeOne(String student) {
        if (stopping.get()) {
            return;
        }
        Path submission = options.submissions().resolve(student).toAbsolutePath().normalize();
        Path dir = options.out().resolve(student);
        long t0 = System.nanoTime();
        started.put(student, t0);
        Report report;
        try {
            new SubmissionGrader(options.root(), line -> { }).composeIn(submission, options.labDir());
            report = gradeInChild(student, submission, dir);
        } catch (IllegalArgumentException e) {
            report = new Report(options.suite().lab(), options.suite().title(), student, options.backend(),
                    Report.Outcome.SUBMISSION_ERROR, e.getMessage(), List.of(), options.suite().maxPoints(), java.time.Instant.now());
            write(report, dir);
        } catch (IOException e) {
            report = Report.notGraded(options.suite(), student, options.backend(), Report.Outcome.INFRASTRUCTURE_ERROR,
                    "the grading could not start: " + e.getMessage());
            write(report, dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        started.remove(student);
        if (finished.get()) {
            return;
        }
        done.put(student, report);
        progress.done(student, report, Duration.ofNanos(System.nanoTime() - t0), running.size());
        synchronized (writing) {
            if (!finished.get()) {
                writeScores();
            }
        }
    }

    private Report gradeInChild(String student, Path submission, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (ReportFormat f : ReportFormat.values()) {
            Files.deleteIfExists(dir.resolve(f.fileName()));
        }
        List<String> command = childCommand(submission, dir);
        Path log = dir.resolve("grading.log");
        GradingProcess child;
        synchronized (writing) {
            if (stopping.get()) {
                throw new InterruptedException();
            }
            child = GradingProcess.start(command, options.root(), log);
            running.put(student, child);
            pids.put(student, child.pid());
        }
        try {
            boolean ended = child.await(options.timeout());
            if (!ended) {
                child.stop(Duration.ofSeconds(20));
                discardState(child.pid());
                Report r = Report.notGraded(options.suite(), student, options.backend(), Report.Outcome.TIMED_OUT,
                        "stopped after " + Progress.duration(options.timeout()) + ", the time limit per grading (--timeout "
                                + "changes it); its output is in grading.log");
                write(r, dir);
                return r;
            }
            child.stopLeftovers();
            Path result = dir.resolve(ReportFormat.JSON.fileName());
            if (Files.isRegularFile(result)) {
                return ReportJson.read(Files.readString(result));
            }
            discardState(child.pid());
            Report r = stopping.get()
                    ? Report.notGraded(options.suite(), student, options.backend(), Report.Outcome.INTERRUPTED,
                            "the batch was stopped (Ctrl-C) while this submission was graded")
                    : Report.notGraded(options.suite(), student, options.backend(), Report.Outcome.INFRASTRUCTURE_ERROR,
                            "the grading ended (exit code " + child.exitValue() + ") without a result; its output is in " + log);
            write(r, dir);
            return r;
        } finally {
            running.remove(student);
        }
    }

    /**
     * The program that grades one submission: {@code lab grade LAB --submission DIR} with this batch's
     * backend, its report formats (and JSON, which the batch reads back) into {@code dir}, and its topology
     * options.
     */
    public List<String> childCommand(Path submission, Path dir) {
        Set<ReportFormat> formats = EnumSet.copyOf(options.formats());
        formats.add(ReportFormat.JSON);
        List<String> command = new ArrayList<>(options.labCommand());
        command.addAll(List.of("grade", options.suite().lab(), "--submission", submission.toString(), "--backend", options.backend(),
                "--out", dir.toAbsolutePath().toString(), "--format",
                String.join(",", formats.stream().map(ReportFormat::label).toList())));
        command.addAll(topologyArguments(options.topology()));
        return command;
    }

    /** The options of {@code lab grade} that give a grading {@code topology}: {@code --profile}, {@code --traefik=IMAGE}. */
    private static List<String> topologyArguments(TopologyOptions topology) {
        List<String> args = new ArrayList<>();
        if (topology != null && topology.profile() != null) {
            args.addAll(List.of("--profile", topology.profile()));
        }
        if (topology != null && topology.traefikImage() != null) {
            args.add("--traefik=" + topology.traefikImage());
        }
        return args;
    }

    /** A grading stopped from outside leaves its state folder: keep only its logs, as a finished one does. */
    private void discardState(long pid) {
        Path grading = options.root().resolve(".lab").resolve("grading");
        if (!Files.isDirectory(grading)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(grading)) {
            dirs.filter(d -> d.getFileName().toString().contains("-grade" + pid + "-")).forEach(SubmissionGrader::keepOnlyLogs);
        } catch (IOException e) {
            // leftovers under .lab/ are harmless
        }
    }

    private void write(Report r, Path dir) {
        try {
            Set<ReportFormat> formats = EnumSet.copyOf(options.formats());
            formats.add(ReportFormat.JSON);
            ReportWriter.write(r, dir, formats);
        } catch (IOException e) {
            console.println("  cannot write the report of " + r.student() + " into " + dir + ": " + e.getMessage());
        }
    }

    /** Ctrl-C (or a SIGTERM): stop the running gradings, keep what finished, write it down. */
    private void interrupted() {
        if (finished.get()) {
            return;
        }
        synchronized (writing) {
            stopping.set(true);
        }
        console.println();
        console.println("stopping: " + running.size() + " grading(s) running are stopped; the finished ones are kept");
        List<Thread> stoppers = new ArrayList<>();
        running.forEach((student, child) -> {
            Thread t = new Thread(() -> {
                try {
                    child.stop(Duration.ofSeconds(15));
                    discardState(child.pid());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-" + student);
            t.start();
            stoppers.add(t);
        });
        for (Thread t : stoppers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(40));
            } catch (InterruptedException e) {
                break;
            }
        }
        try {
            finish();
        } catch (IOException e) {
            console.println("cannot write the batch's files: " + e.getMessage());
        }
    }

    private void finish() throws IOException {
        synchronized (writing) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            for (String s : students) {
                done.computeIfAbsent(s, k -> {
                    Report r = Report.notGraded(options.suite(), k, options.backend(), Report.Outcome.INTERRUPTED,
                            started.containsKey(k) ? "the batch was stopped (Ctrl-C) while this submission was graded"
                                    : "the batch was stopped (Ctrl-C) before this submission was graded");
                    write(r, options.out().resolve(k));
                    return r;
                });
            }
            if (options.roster() != null) {
                for (Roster.Student s : options.roster().students()) {
                    boolean hasFolder = students.stream().anyMatch(f -> options.roster().of(f).filter(s::equals).isPresent());
                    if (!hasFolder) {
                        done.put(s.folder(), Report.notGraded(options.suite(), s.folder(), options.backend(),
                                Report.Outcome.NO_SUBMISSION, "no folder " + s.folder() + " in " + options.submissions()));
                    }
                }
            }
            writeScores();
            summary = Summary.of(options, sortedReports(), fingerprints, Duration.ofNanos(System.nanoTime() - start), jobs, jobsWhy);
            Files.writeString(options.out().resolve("summary.md"), summary.markdown());
            if (options.roster() != null) {
                List<Gradebook.Row> rows = new ArrayList<>();
                for (Report r : sortedReports()) {
                    Optional<Roster.Student> s = options.roster().of(r.student());
                    if (s.isPresent() && r.outcome().scored()) {
                        rows.add(new Gradebook.Row(s.get(), r));
                    }
                }
                Files.writeString(options.out().resolve("gradebook-moodle.csv"), Gradebook.moodle(options.assignment(), rows));
                Files.writeString(options.out().resolve("gradebook-canvas.csv"),
                        Gradebook.canvas(options.assignment(), options.suite().maxPoints(), rows));
            }
            progress.end();
            console.print(summary.text());
        }
    }

    private List<Report> sortedReports() {
        return new TreeMap<>(done).values().stream().toList();
    }

    private void writeScores() {
        try {
            Files.writeString(options.out().resolve("scores.csv"), scoresCsv(sortedReports(), options.roster()));
        } catch (IOException e) {
            console.println("cannot write scores.csv: " + e.getMessage());
        }
    }

    /** scores.csv: ReportWriter's columns; with a roster, the student's id, name and email after them. */
    static String scoresCsv(List<Report> reports, Roster roster) {
        String csv = ReportWriter.csv(reports);
        if (roster == null) {
            return csv;
        }
        String[] lines = csv.split("\n");
        StringBuilder b = new StringBuilder(lines[0]).append(",student_id,name,email\n");
        for (int i = 1; i < lines.length; i++) {
            Report r = reports.get(i - 1);
            Optional<Roster.Student> s = roster.of(r.student());
            b.append(lines[i]).append(',').append(ReportWriter.csvCell(s.map(Roster.Student::id).orElse(""))).append(',')
                    .append(ReportWriter.csvCell(s.map(Roster.Student::name).orElse(""))).append(',').append(ReportWriter.csvCell(s.map(Roster.Student::email).orElse("")))
                    .append('\n');
        }
        return b.toString();
    }

    static String lower(Report.Outcome o) {
        return o.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}

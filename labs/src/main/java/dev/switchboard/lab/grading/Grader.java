package dev.switchboard.lab.grading;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.topology.Topology;
import dev.switchboard.proxy.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Grades one submission: starts its topology on a backend, runs the suite's checks in order, stops
 * the topology, and says what happened. A check that throws fails with what it observed and its hint.
 */
public final class Grader {

    /** Starts a topology from a compose file: the simulated or the containers backend. */
    @FunctionalInterface
    public interface Backend {
        Topology start(ComposeFile compose, Consumer<String> progress) throws Exception;
    }

    private final Consumer<String> progress;

    public Grader(Consumer<String> progress) {
        this.progress = progress;
    }

    public Report grade(LabSuite suite, ComposeFile compose, String student, String backendName, Backend backend) {
        Instant at = Instant.now();
        Topology topology;
        try {
            topology = backend.start(compose, progress);
        } catch (ComposeException | ConfigException e) {
            return new Report(suite.lab(), suite.title(), student, backendName, Report.Outcome.SUBMISSION_ERROR,
                    "the compose file cannot run: " + e.getMessage(), zeros(suite, e.getMessage()), suite.maxPoints(), at);
        } catch (dev.switchboard.lab.topology.BackendException e) {
            return new Report(suite.lab(), suite.title(), student, backendName, Report.Outcome.INFRASTRUCTURE_ERROR,
                    e.getMessage(), List.of(), suite.maxPoints(), at);
        } catch (Exception | Error e) {
            return new Report(suite.lab(), suite.title(), student, backendName, Report.Outcome.INFRASTRUCTURE_ERROR,
                    "the topology did not start: " + e, List.of(), suite.maxPoints(), at);
        }
        List<CheckResult> results = new ArrayList<>();
        List<Report.Attachment> attachments = new ArrayList<>();
        try (topology; LabContext lab = new LabContext(topology, suite.proxyService())) {
            java.util.Map<String, CheckResult> byId = new java.util.HashMap<>();
            for (Check check : suite.checks()) {
                progress.accept("check: " + check.name());
                long start = System.nanoTime();
                CheckResult result;
                List<CheckResult> missing = check.requires().stream().map(byId::get)
                        .filter(r -> r == null || !r.passed()).toList();
                if (!missing.isEmpty()) {
                    String names = String.join("; ", missing.stream().map(r -> r == null ? "?" : r.name()).toList());
                    result = new CheckResult(check.id(), check.name(), check.points(), false, "not checked: it needs \""
                            + names + "\" first", "fix \"" + names + "\" first", Duration.ZERO);
                    progress.accept("  not checked");
                    results.add(result);
                    byId.put(check.id(), result);
                    continue;
                }
                try {
                    check.body().run(lab);
                    result = new CheckResult(check.id(), check.name(), check.points(), true,
                            String.join("; ", lab.takeNotes()), null, Duration.ofNanos(System.nanoTime() - start));
                } catch (CheckFailed f) {
                    lab.takeNotes();
                    result = new CheckResult(check.id(), check.name(), check.points(), false, f.getMessage(),
                            f.hint() != null ? f.hint() : check.hint(), Duration.ofNanos(System.nanoTime() - start));
                } catch (Exception | AssertionError e) {
                    lab.takeNotes();
                    result = new CheckResult(check.id(), check.name(), check.points(), false, e.toString(), check.hint(),
                            Duration.ofNanos(System.nanoTime() - start));
                }
                progress.accept((result.passed() ? "  passed" : "  FAILED: " + result.observed()));
                results.add(result);
                byId.put(check.id(), result);
            }
            attachments.addAll(lab.attachments());
        } catch (Exception e) {
            progress.accept("stopping the topology: " + e);
        }
        return new Report(suite.lab(), suite.title(), student, backendName, Report.Outcome.GRADED, null, results,
                suite.maxPoints(), at, attachments);
    }

    private static List<CheckResult> zeros(LabSuite suite, String why) {
        List<CheckResult> out = new ArrayList<>();
        for (Check c : suite.checks()) {
            out.add(new CheckResult(c.id(), c.name(), c.points(), false, "not run: the compose file cannot run", why,
                    Duration.ZERO));
        }
        return out;
    }

    /** The grader could not run the topology for a reason that is not the submission's. */
    public static final class InfrastructureException extends dev.switchboard.lab.topology.BackendException {
        private static final long serialVersionUID = 1L;

        public InfrastructureException(String message) {
            super(message);
        }

        public InfrastructureException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

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
            java.util.Optional<Report> improved = improved(suite, compose, student, backendName, lab, at);
            if (improved.isPresent()) {
                return improved.get();
            }
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
                            hint(lab, check, f.hint()), Duration.ofNanos(System.nanoTime() - start));
                } catch (Exception | AssertionError e) {
                    lab.takeNotes();
                    result = new CheckResult(check.id(), check.name(), check.points(), false, e.toString(), hint(lab, check, null),
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

    /**
     * The hint of a failed check: what the proxy reports wrong with what the check is about (its API's
     * {@code error}, or its log when the element is missing), else the failure's own hint (derived from
     * what the check saw), else the check's general one.
     */
    private static String hint(LabContext lab, Check check, String observedHint) {
        return ProxyDiagnosis.of(lab, check.about())
                .orElse(observedHint != null ? observedHint : check.hint());
    }

    /**
     * Labs are graded as Traefik v3.2 behaves: a proxy that runs with Switchboard's improvements on (its
     * {@code switchboard} profile, or one {@code --switchboard.<improvement>}) would give points for what
     * the student did not configure. Its {@code /api/version} says which are on. Set in the submission's
     * compose file, that is the submission's doing (0 points, saying what to remove); otherwise the
     * grader's own environment leaks into the proxy (not graded). A proxy whose API does not answer, or
     * that is not Switchboard, is graded as it is.
     */
    private static java.util.Optional<Report> improved(LabSuite suite, ComposeFile compose, String student, String backendName,
            LabContext lab, Instant at) {
        com.fasterxml.jackson.databind.JsonNode version;
        try {
            version = lab.apiIfPresent("/api/version").orElse(null);
        } catch (Exception | AssertionError e) {
            return java.util.Optional.empty();
        }
        if (version == null || !version.has("profile")) {
            return java.util.Optional.empty();
        }
        List<String> on = new ArrayList<>();
        version.path("improvements").forEach(i -> on.add(i.isTextual() ? i.asText() : i.path("option").asText(i.toString())));
        String profile = version.path("profile").asText();
        if (profile.equals("traefik") && on.isEmpty()) {
            return java.util.Optional.empty();
        }
        ComposeFile.Service proxy = compose.services().get(suite.proxyService());
        List<String> set = new ArrayList<>();
        if (proxy != null) {
            proxy.environment().keySet().stream().filter(k -> k.equals("SWITCHBOARD_PROFILE")).forEach(k -> set.add(k + "="
                    + proxy.environment().get(k)));
            proxy.command().stream().filter(f -> f.toLowerCase(java.util.Locale.ROOT).startsWith("--switchboard.")).forEach(set::add);
        }
        String what = "the " + suite.proxyService() + " runs the " + profile + " profile" + (on.isEmpty() ? "" : " with "
                + String.join(", ", on)) + ": labs are graded as Traefik v3.2 behaves (the traefik profile, no improvements)";
        if (!set.isEmpty()) {
            return java.util.Optional.of(new Report(suite.lab(), suite.title(), student, backendName, Report.Outcome.SUBMISSION_ERROR,
                    what + "; remove " + String.join(", ", set) + " from the " + suite.proxyService() + " (try Switchboard's "
                            + "improvements with ./lab up --profile switchboard instead)", zeros(suite, what), suite.maxPoints(), at));
        }
        return java.util.Optional.of(new Report(suite.lab(), suite.title(), student, backendName,
                Report.Outcome.INFRASTRUCTURE_ERROR, what + "; the submission does not ask for it, so the grader's environment "
                        + "does: unset SWITCHBOARD_PROFILE and grade again", List.of(), suite.maxPoints(), at));
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

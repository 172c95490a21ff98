package dev.switchboard.lab.grading;

import java.util.List;

/**
 * One graded check of a lab: what it verifies (through the proxy, never by reading the student's
 * file), how many points it is worth, and where to look when it fails.
 *
 * @param id     stable identifier, for reports and JUnit XML: {@code app1-routed-by-host}
 * @param name   what the student sees: "Requests for app1.localhost reach app1"
 * @param points points awarded when it passes
 * @param hint   where to look when it fails
 * @param requires ids of earlier checks this one needs to have passed
 * @param body   the check; it throws {@link CheckFailed} (or any exception) to fail
 */
public record Check(String id, String name, int points, String hint, List<String> requires, Body body) {

    public Check(String id, String name, int points, String hint, Body body) {
        this(id, name, points, hint, List.of(), body);
    }

    /**
     * The same check, run only if the checks {@code ids} passed: otherwise it fails as "not checked",
     * pointing to them, so one missing route does not read as five unrelated mistakes.
     */
    public Check requires(String... ids) {
        return new Check(id, name, points, hint, List.of(ids), body);
    }

    /** The check's code. */
    @FunctionalInterface
    public interface Body {
        void run(LabContext lab) throws Exception;
    }
}

package dev.switchboard.lab.grading;

/**
 * One graded check of a lab: what it verifies (through the proxy, never by reading the student's
 * file), how many points it is worth, and where to look when it fails.
 *
 * @param id     stable identifier, for reports and JUnit XML: {@code app1-routed-by-host}
 * @param name   what the student sees: "Requests for app1.localhost reach app1"
 * @param points points awarded when it passes
 * @param hint   where to look when it fails
 * @param body   the check; it throws {@link CheckFailed} (or any exception) to fail
 */
public record Check(String id, String name, int points, String hint, Body body) {

    /** The check's code. */
    @FunctionalInterface
    public interface Body {
        void run(LabContext lab) throws Exception;
    }
}

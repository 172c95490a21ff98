package dev.switchboard.lab.grading;

import java.util.List;

/**
 * The grading suite of one lab: its checks, run in order against the running topology (later
 * checks may break containers, so order matters). Written once, run on either backend.
 */
public interface LabSuite {

    /** {@code lab1}. */
    String lab();

    /** "First routes". */
    String title();

    List<Check> checks();

    /** The service whose published ports are the proxy's entry points and API. */
    default String proxyService() {
        return "reverse-proxy";
    }

    /** Total points. */
    default int maxPoints() {
        return checks().stream().mapToInt(Check::points).sum();
    }
}

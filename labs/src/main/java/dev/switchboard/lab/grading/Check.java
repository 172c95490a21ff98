package dev.switchboard.lab.grading;

import java.util.ArrayList;
import java.util.List;

/**
 * One graded check of a lab: what it verifies (through the proxy, never by reading the student's
 * file), how many points it is worth, and where to look when it fails.
 *
 * @param id       stable identifier, for reports and JUnit XML: {@code app1-routed-by-host}
 * @param name     what the student sees: "Requests for app1.localhost reach app1"
 * @param points   points awarded when it passes
 * @param hint     where to look when it fails, when nothing more precise was observed
 * @param requires ids of earlier checks this one needs to have passed
 * @param about    what of the proxy's configuration the check is about, as API paths
 *                 ({@code routers/app1@docker}, {@code services/app1-v1@docker}): when the check fails
 *                 and the proxy reports an error for one of them, that error is the first hint
 *                 (see {@link ProxyDiagnosis})
 * @param body     the check; it throws {@link CheckFailed} (or any exception) to fail
 */
public record Check(String id, String name, int points, String hint, List<String> requires, List<String> about, Body body) {

    public Check {
        requires = List.copyOf(requires);
        about = List.copyOf(about);
    }

    public Check(String id, String name, int points, String hint, Body body) {
        this(id, name, points, hint, List.of(), List.of(), body);
    }

    /**
     * The same check, run only if the checks {@code ids} passed: otherwise it fails as "not checked",
     * pointing to them, so one missing route does not read as five unrelated mistakes. Name only
     * what the check cannot do without: a check that could still tell something gets its own
     * verdict.
     */
    public Check requires(String... ids) {
        List<String> all = new ArrayList<>(requires);
        all.addAll(List.of(ids));
        return new Check(id, name, points, hint, all, about, body);
    }

    /**
     * The same check, about these routers or services of the proxy ({@code routers/app1@docker},
     * {@code services/app1-v1@docker}): if it fails while the proxy reports one of them in error
     * (a conflict between containers, a label it could not use, a missing middleware), the hint
     * starts with what the proxy says.
     */
    public Check about(String... apiPaths) {
        List<String> all = new ArrayList<>(about);
        for (String p : apiPaths) {
            if (!p.startsWith("routers/") && !p.startsWith("services/") && !p.startsWith("middlewares/")) {
                throw new IllegalArgumentException("about names routers/<name>, services/<name> or middlewares/<name>: " + p);
            }
            all.add(p);
        }
        return new Check(id, name, points, hint, requires, all, body);
    }

    /** The check's code. */
    @FunctionalInterface
    public interface Body {
        void run(LabContext lab) throws Exception;
    }
}

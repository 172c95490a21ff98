package dev.switchboard.lab.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.grading.SubmissionGrader;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.grading.Suites;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.testing.Docker;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code lab grade LAB --backend containers --traefik}: the lab runs with the official traefik image in
 * place of Switchboard's proxy. No registry answers here, so the image cannot be pulled: the
 * submission is not graded (never scored zero), and the report says what --traefik needs and what to
 * do instead. Where a registry answers, the same grading runs against Traefik itself.
 */
class TraefikGradingIT {
    @Test
    void anOfficialImageThatCannotBePulledIsNotGradedAndSaysWhy() {
        Docker.assumeAvailable();
        Path root = LabFolders.root();
        SubmissionGrader grading = new SubmissionGrader(root, line -> System.out.println("[traefik] " + line))
                .options(new TopologyOptions(null, "traefik:v0.0.0-switchboard-test"));
        Report r = grading.grade(Suites.of("lab1").orElseThrow(), root.resolve("compose/lab1-first-routes").resolve(LabFolders.SOLUTION),
                null, "solution", "containers");
        assertEquals(Report.Outcome.INFRASTRUCTURE_ERROR, r.outcome(), r.error());
        assertTrue(r.error().startsWith("--traefik runs the official traefik:v0.0.0-switchboard-test in place of Switchboard's proxy, "
                + "but it is not on this machine and could not be pulled ("), r.error());
        assertTrue(r.error().contains("leave out --traefik"), r.error());
    }
}

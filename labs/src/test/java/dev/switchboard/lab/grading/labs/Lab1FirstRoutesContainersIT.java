package dev.switchboard.lab.grading.labs;

import static dev.switchboard.lab.grading.LabGrading.assertFullMarks;

import dev.switchboard.lab.grading.LabGrading;
import dev.switchboard.lab.grading.Report;
import dev.switchboard.lab.testing.Docker;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lab 1 graded on the containers backend: the images built from the kit's Dockerfiles, the compose
 * model started on the Docker engine, the same suite as on the simulated backend. Prints how long
 * each grading took (the first one includes building the images on a new machine).
 */
class Lab1FirstRoutesContainersIT {
    private final LabGrading lab = new LabGrading("lab1");

    @BeforeAll
    static void docker() {
        Docker.assumeAvailable();
    }

    @Test
    void theSolutionScoresFullMarks() {
        long start = System.nanoTime();
        Report r = lab.solution("containers");
        System.out.printf(Locale.ROOT, "[lab1 containers] one grading: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertFullMarks(r);
    }

    /**
     * Two gradings at once on one engine, each under its own project name. Isolation is what makes
     * both pass: "server-up" requires app1's service to have exactly one server, so a proxy that saw
     * the other grading's app1 (same router and service labels) would fail it, and fixed host ports
     * would make the second grading's proxy fail to start.
     */
    @Test
    void twoGradingsAtOnceBothScoreFullMarks() {
        long start = System.nanoTime();
        CompletableFuture<Timed> first = CompletableFuture.supplyAsync(() -> timed(() -> lab.solution("containers")));
        CompletableFuture<Timed> second = CompletableFuture.supplyAsync(() -> timed(() -> lab.solution("containers")));
        Timed a = first.join();
        Timed b = second.join();
        System.out.printf(Locale.ROOT, "[lab1 containers] two gradings at once: %.1f s and %.1f s, %.1f s in all%n",
                a.seconds(), b.seconds(), (System.nanoTime() - start) / 1e9);
        assertFullMarks(a.report());
        assertFullMarks(b.report());
    }

    private record Timed(Report report, double seconds) {
    }

    private static Timed timed(java.util.function.Supplier<Report> grading) {
        long start = System.nanoTime();
        Report r = grading.get();
        return new Timed(r, (System.nanoTime() - start) / 1e9);
    }
}

package dev.switchboard.lab.grading.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One grading run as a program of its own ({@code lab grade LAB --submission DIR}), so that gradings
 * share nothing (memory, threads, address block, project name), and so that one that hangs can be
 * stopped with everything it started: its own processes are remembered while it runs (a process
 * whose parent died is no longer its descendant), and stopped with it.
 */
final class GradingProcess {
    private final Process process;
    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();

    private GradingProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code command}, its output (both streams) going to {@code log}. */
    static GradingProcess start(List<String> command, Path workingDirectory, Path log) throws IOException {
        Process p = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new GradingProcess(p);
    }

    long pid() {
        return process.pid();
    }

    /** Notes the processes it started so far (the topology's JVMs and database). */
    void remember() {
        process.descendants().forEach(started::add);
    }

    /** Waits for the end; false if it did not end within {@code limit}. */
    boolean await(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            remember();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return !process.isAlive();
            }
            if (process.waitFor(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
    }

    int exitValue() {
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Stops it: SIGTERM first, so that it stops its topology itself (containers are removed, the
     * database shut down), then, after {@code grace}, SIGKILL for it and whatever it started that is
     * still running.
     */
    void stop(Duration grace) throws InterruptedException {
        remember();
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            remember();
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        stopLeftovers();
    }

    /** Whatever it started and left running (after it ended, or was killed): SIGTERM, then SIGKILL. */
    void stopLeftovers() throws InterruptedException {
        List<ProcessHandle> alive = started.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle h : alive) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }
}

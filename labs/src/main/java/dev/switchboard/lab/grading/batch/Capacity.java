package dev.switchboard.lab.grading.batch;

import dev.switchboard.lab.compose.ComposeFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How many gradings run at once by default: one per core, fewer if memory runs short. A grading
 * starts a JVM per container (the proxy, each producer replica) and a database, so its memory is
 * estimated from the lab's compose file; its CPU comes in bursts (JVM and Spring Boot starts), and
 * more gradings than cores only make each slower (and timing checks less sure).
 */
public record Capacity(int cores, long availableBytes, long perGradingBytes, double loadAverage) {
    /** A container of the simulated topology: a JVM with a 256 MB heap (the producer, the proxy) or MariaDB. */
    static final long PER_CONTAINER = 400L << 20;
    /** The grading's own JVM (the checks, their HTTP clients). */
    static final long GRADER = 400L << 20;

    /** This machine's cores and available memory, and what a grading of {@code lab} needs. */
    public static Capacity of(ComposeFile lab) {
        return new Capacity(Runtime.getRuntime().availableProcessors(), availableMemory(), perGrading(lab),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static long perGrading(ComposeFile lab) {
        int containers = lab.services().values().stream().mapToInt(ComposeFile.Service::replicas).sum();
        return GRADER + PER_CONTAINER * Math.max(1, containers);
    }

    /** Linux's MemAvailable (what can be used without swapping); elsewhere the free physical memory. */
    static long availableMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getFreeMemorySize();
        }
        return Long.MAX_VALUE;
    }

    /** The default number of jobs: the cores, bounded by memory, at least one. */
    public int jobs() {
        long byMemory = perGradingBytes <= 0 ? cores : availableBytes / perGradingBytes;
        return (int) Math.max(1, Math.min(cores, byMemory));
    }

    /**
     * "2 cores; 20.1 GiB of memory available, a lab3 grading needs about 2.0 GiB", and the load
     * average when the machine is busy with other work (gradings then take longer).
     */
    public String explain(String lab) {
        String busy = loadAverage >= cores ? String.format(Locale.ROOT, " (busy: load average %.1f)", loadAverage) : "";
        return String.format(Locale.ROOT, "%d core%s%s; %.1f GiB of memory available, a %s grading needs about %.1f GiB", cores,
                cores == 1 ? "" : "s", busy, availableBytes / (double) (1L << 30), lab, perGradingBytes / (double) (1L << 30));
    }
}

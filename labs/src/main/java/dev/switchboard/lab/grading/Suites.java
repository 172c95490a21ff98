package dev.switchboard.lab.grading;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The grading suite of each lab, by lab id ({@code lab1}). A new lab adds one line here. */
public final class Suites {
    private static final Map<String, Supplier<LabSuite>> SUITES = new LinkedHashMap<>();

    static {
        register("lab1", dev.switchboard.lab.grading.labs.Lab1FirstRoutes::new);
        register("lab2", dev.switchboard.lab.grading.labs.Lab2Replicas::new);
        register("lab3", dev.switchboard.lab.grading.labs.Lab3StripPrefix::new);
        register("lab4", dev.switchboard.lab.grading.labs.Lab4ServiceCalls::new);
        register("lab5", dev.switchboard.lab.grading.labs.Lab5Failover::new);
        register("lab6", dev.switchboard.lab.grading.labs.Lab6DynamicConfig::new);
        register("lab7", dev.switchboard.lab.grading.labs.Lab7Algorithms::new);
        register("lab8", dev.switchboard.lab.grading.labs.Lab8ZeroDowntime::new);
        register("lab9", dev.switchboard.lab.grading.labs.Lab9WatchingFailure::new);
    }

    private Suites() {
    }

    static void register(String lab, Supplier<LabSuite> suite) {
        SUITES.put(lab, suite);
    }

    public static Optional<LabSuite> of(String lab) {
        Supplier<LabSuite> s = SUITES.get(lab);
        return s == null ? Optional.empty() : Optional.of(s.get());
    }

    public static java.util.Set<String> labs() {
        return SUITES.keySet();
    }
}

package dev.switchboard.lab.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The processes a simulation started (its containers' programs and the database servers under
 * them), written down as they start, one line each: {@code pid start-time name}. If the lab's own
 * process dies without stopping them, {@code lab down} reads the ledger and ends exactly these
 * (a pid whose start time differs is another program that reused the number, and is left alone).
 */
public final class ProcessLedger {
    private final Path file;
    private final Set<Long> known = new LinkedHashSet<>();

    public ProcessLedger(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Writes down {@code process} and its descendants, once each. */
    public synchronized void record(ProcessHandle process, String name) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process);
        process.descendants().forEach(all::add);
        StringBuilder lines = new StringBuilder();
        for (ProcessHandle p : all) {
            Optional<Instant> started = p.info().startInstant();
            if (known.add(p.pid()) && started.isPresent()) {
                lines.append(p.pid()).append(' ').append(started.get().toEpochMilli()).append(' ').append(name).append('\n');
            }
        }
        if (lines.length() == 0) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // without the ledger, lab down after a crash finds less to clean; the lab runs all the same
        }
    }

    /** A process the ledger names that still runs. */
    public record Leftover(ProcessHandle process, String name) {
    }

    /** The processes of {@code ledger} still running as the same programs (same start time). */
    public static List<Leftover> leftovers(Path ledger) {
        List<Leftover> out = new ArrayList<>();
        if (!Files.isRegularFile(ledger)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 3);
                if (parts.length < 3) {
                    continue;
                }
                long pid = Long.parseLong(parts[0]);
                long started = Long.parseLong(parts[1]);
                ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 1000).orElse(false))
                        .ifPresent(p -> out.add(new Leftover(p, parts[2])));
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable ledger: nothing known to end
        }
        return out;
    }
}

package dev.switchboard.lab.control;

import dev.switchboard.lab.sim.ProcessLedger;
import dev.switchboard.lab.sim.Simulation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a simulated lab leaves behind when its process ends without {@code lab down} (a crash, a
 * killed terminal, a machine gone to sleep): its containers' programs, the private copy of the lab
 * tool a background lab ran from, its temporary files and {@code current.json}. {@link #remove}
 * ends and deletes them, and says what it removed. Logs, named volumes and database files stay, as
 * {@code docker compose down} keeps volumes.
 */
public final class Leftovers {
    private Leftovers() {
    }

    /** Removes what the (no longer running) lab of {@code state} left; prints one line per thing removed. */
    public static void remove(LabState state, PrintStream out) throws InterruptedException {
        if (state.alive()) {
            throw new IllegalStateException(state.project() + " still runs (pid " + state.pid() + "): stop it with ./lab down");
        }
        Path root = Path.of(state.root());
        if (state.stateDir() != null) {
            Path stateDir = Path.of(state.stateDir());
            List<ProcessLedger.Leftover> running = ProcessLedger.leftovers(stateDir.resolve(Simulation.LEDGER));
            running.forEach(l -> l.process().destroy());
            for (ProcessLedger.Leftover l : running) {
                try {
                    l.process().onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    l.process().destroyForcibly();
                }
                out.println("ended " + l.name() + " (pid " + l.process().pid() + "), still running from " + state.project());
            }
            deleteQuietly(stateDir.resolve(Simulation.LEDGER));
            try (Stream<Path> files = Files.list(stateDir)) {
                List<Path> hosts = files.filter(p -> p.getFileName().toString().startsWith("hosts-")).toList();
                hosts.forEach(Leftovers::deleteQuietly);
                if (!hosts.isEmpty() && !running.isEmpty()) {
                    out.println("removed " + hosts.size() + " hosts files from " + display(root, stateDir));
                }
            } catch (IOException e) {
                // no state folder: nothing to remove there
            }
        }
        if (state.jarCopy() != null && Files.exists(Path.of(state.jarCopy()))) {
            deleteQuietly(Path.of(state.jarCopy()));
            out.println("removed the lab tool's private copy " + display(root, Path.of(state.jarCopy())));
        }
        if (LabState.recorded(root).filter(s -> s.pid() == state.pid()).isPresent()) {
            LabState.clear(root);
            out.println("removed " + display(root, LabState.file(root)));
        }
    }

    private static String display(Path root, Path p) {
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left behind; harmless
        }
    }
}

package dev.switchboard.lab;

import dev.switchboard.lab.sim.Logs;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Prints container logs as {@code docker compose up} does: {@code app1-1  | line}, one colour per container on a terminal. */
final class LogPrinter {
    private static final String[] COLOURS = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

    private LogPrinter() {
    }

    static void attach(Logs logs, PrintStream out) {
        boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;
        Map<String, String> assigned = new ConcurrentHashMap<>();
        logs.listen((container, line) -> {
            String short_ = container.contains("-") ? container.substring(container.indexOf('-') + 1) : container;
            String prefix = String.format("%-16s|", short_);
            if (colour) {
                String c = assigned.computeIfAbsent(container, k -> COLOURS[assigned.size() % COLOURS.length]);
                prefix = "\u001b[" + c + "m" + prefix + "\u001b[0m";
            }
            synchronized (out) {
                out.println(prefix + " " + line);
            }
        });
    }
}

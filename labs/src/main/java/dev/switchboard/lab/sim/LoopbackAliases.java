package dev.switchboard.lab.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code sudo ./lab setup} on macOS: the loopback aliases the simulation's {@link AddressPlan.Layout#ALIASES
 * address plan} needs ({@code 127.254.<block>.1} to {@code .254} for {@value #BLOCKS} blocks, so that
 * that many labs or gradings run at once), added now with {@code ifconfig lo0 alias} and again at
 * every start by a launchd job, since macOS forgets aliases when it restarts. {@code --undo} removes
 * the job and the aliases. Nothing to do on Linux and Windows, where all of 127.0.0.0/8 answers.
 */
public final class LoopbackAliases {
    /** Blocks of 254 addresses: labs and gradings that can run at once. */
    public static final int BLOCKS = 4;
    /** The launchd job that adds the aliases again at every start of the machine. */
    public static final Path LAUNCHD_JOB = Path.of("/Library/LaunchDaemons/dev.switchboard.lab.loopback.plist");
    static final String LABEL = "dev.switchboard.lab.loopback";

    /** Runs one command (as root); the seam that lets tests record what setup would do. */
    @FunctionalInterface
    public interface Shell {
        int run(List<String> command) throws IOException, InterruptedException;

        /** Runs it for real, output to this terminal. */
        Shell SYSTEM = command -> new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private final Shell shell;
    private final Path launchdJob;
    private final Consumer<String> out;

    public LoopbackAliases(Shell shell, Path launchdJob, Consumer<String> out) {
        this.shell = shell;
        this.launchdJob = launchdJob;
        this.out = out;
    }

    /** What {@code ./lab up} says on a Mac without the aliases, before anything starts. */
    static String missingMessage() {
        return "macOS answers only on 127.0.0.1 until loopback aliases are added, and the simulated topology gives each "
                + "container an address of its own (127.254.x.y), as Docker does. Run once:\n"
                + "    sudo ./lab setup\n"
                + "It adds " + BLOCKS * 254 + " aliases (127.254.1.1 to 127.254." + BLOCKS + ".254) to lo0 and keeps them "
                + "across restarts (a launchd job, " + LAUNCHD_JOB + "); sudo ./lab setup --undo removes both. "
                + "Or run the lab with --docker, which needs no aliases";
    }

    /** The shell script that adds (or, with {@code undo}, removes) every alias. */
    static String script(boolean undo) {
        return "b=1; while [ $b -le " + BLOCKS + " ]; do n=1; while [ $n -le 254 ]; do /sbin/ifconfig lo0 "
                + (undo ? "-alias" : "alias") + " 127.254.$b.$n" + (undo ? "" : " up") + " 2>/dev/null; n=$((n+1)); done; "
                + "b=$((b+1)); done";
    }

    /** The launchd job: runs {@link #script} when the machine starts. */
    static String launchdPlist() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <!-- Switchboard labs: loopback aliases for the simulated topology (sudo ./lab setup --undo removes this). -->
                <plist version="1.0">
                <dict>
                  <key>Label</key>
                  <string>%s</string>
                  <key>ProgramArguments</key>
                  <array>
                    <string>/bin/sh</string>
                    <string>-c</string>
                    <string>%s</string>
                  </array>
                  <key>RunAtLoad</key>
                  <true/>
                </dict>
                </plist>
                """.formatted(LABEL, script(false));
    }

    /** Adds the aliases now and at every start. */
    public int install() throws IOException, InterruptedException {
        out.accept("adding " + BLOCKS * 254 + " loopback aliases 127.254.1.1 to 127.254." + BLOCKS + ".254 to lo0...");
        int code = shell.run(List.of("/bin/sh", "-c", script(false)));
        if (code != 0) {
            out.accept("ifconfig failed (exit code " + code + "): run this as root, sudo ./lab setup");
            return code;
        }
        Files.createDirectories(launchdJob.getParent());
        Files.writeString(launchdJob, launchdPlist(), StandardCharsets.UTF_8);
        out.accept("wrote " + launchdJob + ": macOS adds them again at every start");
        out.accept("done. To remove them: sudo ./lab setup --undo");
        return 0;
    }

    /** Removes the launchd job and the aliases. */
    public int undo() throws IOException, InterruptedException {
        List<String> removed = new ArrayList<>();
        if (Files.deleteIfExists(launchdJob)) {
            removed.add(launchdJob.toString());
        }
        int code = shell.run(List.of("/bin/sh", "-c", script(true)));
        out.accept("removed the loopback aliases 127.254.1.1 to 127.254." + BLOCKS + ".254"
                + (removed.isEmpty() ? "" : " and " + String.join(", ", removed)));
        return code;
    }
}

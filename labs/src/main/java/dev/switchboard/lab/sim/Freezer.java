package dev.switchboard.lab.sim;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How a container is frozen ({@code docker pause}) and thawed. Docker freezes every process of the
 * container (the cgroup freezer): the kernel still accepts connections on its ports, nothing answers
 * them. {@link #SIGNALS} does the same with SIGSTOP/SIGCONT (Linux, macOS); Windows has no such
 * signal, so there the container is frozen at its ports instead ({@link PortGate}), which is what
 * its clients observe.
 */
public interface Freezer {

    /** Freezes the process (or what reaches it). */
    void freeze(Process process);

    /** Thaws it. */
    void thaw(Process process);

    /** SIGSTOP and SIGCONT through kill(1): Java itself can send only TERM and KILL. */
    Freezer SIGNALS = new Freezer() {
        @Override
        public void freeze(Process process) {
            signal(process, "STOP");
        }

        @Override
        public void thaw(Process process) {
            signal(process, "CONT");
        }

        private void signal(Process p, String signal) {
            try {
                Process k = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
                k.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed: " + e.getMessage()
                        + (System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows")
                                ? " (Windows has no signals: the simulation freezes containers at their ports there)" : ""), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    };
}

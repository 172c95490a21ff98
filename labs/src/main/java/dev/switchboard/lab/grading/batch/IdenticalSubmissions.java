package dev.switchboard.lab.grading.batch;

import dev.switchboard.lab.kit.LabFolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Submissions whose lab files are the same once normalised (line endings, trailing spaces and blank
 * lines do not count). The lab files are the compose file's folder ({@code compose/<lab>/}), or, for
 * a submission that is only a compose file, that file. Groups of two or more are listed in the batch
 * summary, and so is any submission equal to the starter (nothing done) or to the reference
 * solution (its text, comments included).
 */
public final class IdenticalSubmissions {
    private static final Set<String> SKIPPED = Set.of(".git", "target", ".lab", "node_modules", ".idea", ".vscode");

    private IdenticalSubmissions() {
    }

    /**
     * The lab files of a submission by their names in the lab folder: with {@code wholeFolder}, every
     * file of the compose file's folder (and below); otherwise the compose file alone.
     */
    public static Map<String, Path> labFiles(Path composeFile, boolean wholeFolder) throws IOException {
        Map<String, Path> files = new TreeMap<>();
        Path dir = composeFile.toAbsolutePath().getParent();
        if (!wholeFolder) {
            files.put(LabFolders.STARTER, composeFile);
            return files;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                Path rel = dir.relativize(p);
                boolean skip = false;
                for (Path part : rel) {
                    skip |= SKIPPED.contains(part.toString()) || part.toString().startsWith(".test-");
                }
                if (!skip) {
                    files.put(rel.toString().replace('\\', '/'), p);
                }
            }
        }
        return files;
    }

    /** The starter's files in the kit's lab folder: everything but the reference solution's. */
    public static Map<String, Path> starterFiles(Path labDir) throws IOException {
        Map<String, Path> files = new TreeMap<>(labFiles(labDir.resolve(LabFolders.STARTER), true));
        files.keySet().removeIf(name -> name.contains(".solution"));
        return files;
    }

    /**
     * The reference solution's files as a student would hand them in: {@code compose.solution.yaml}
     * as {@code compose.yaml}, {@code dynamic.solution/} as {@code dynamic/}, the rest of the starter
     * where the solution has no file of its own. Empty where the kit has no solutions.
     */
    public static Map<String, Path> solutionFiles(Path labDir) throws IOException {
        Map<String, Path> all = labFiles(labDir.resolve(LabFolders.STARTER), true);
        if (!all.containsKey(LabFolders.SOLUTION)) {
            return Map.of();
        }
        Set<String> replacedFolders = new java.util.HashSet<>();
        Map<String, Path> solution = new TreeMap<>();
        all.forEach((name, path) -> {
            if (name.equals(LabFolders.SOLUTION)) {
                solution.put(LabFolders.STARTER, path);
            } else if (name.contains(".solution/")) {
                String folder = name.substring(0, name.indexOf(".solution/"));
                replacedFolders.add(folder + "/");
                solution.put(folder + name.substring(name.indexOf(".solution/") + ".solution".length()), path);
            }
        });
        all.forEach((name, path) -> {
            boolean replaced = replacedFolders.stream().anyMatch(name::startsWith);
            if (!name.contains(".solution") && !replaced) {
                solution.putIfAbsent(name, path);
            }
        });
        return solution;
    }

    /** The fingerprint of lab files: the same for files that are the same once {@linkplain #normalised normalised}. */
    public static String fingerprint(Map<String, Path> files) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Path> f : new TreeMap<>(files).entrySet()) {
                sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(normalised(f.getValue()).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A file's text without what an editor or a platform changes on its own: line endings, trailing
     * spaces, blank lines, a byte-order mark. Comments, quoting and order stay: two students who
     * write the same labels independently rarely write the same file.
     */
    static String normalised(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace("\uFEFF", "").replace("\r\n", "\n")
                .replace('\r', '\n');
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.stripTrailing();
            if (!l.isBlank()) {
                b.append(l).append('\n');
            }
        }
        return b.toString();
    }

    /** Groups of two or more submissions with the same fingerprint, each sorted, in order of their first member. */
    public static List<List<String>> groups(Map<String, String> fingerprintBySubmission) {
        Map<String, List<String>> by = new LinkedHashMap<>();
        new TreeMap<>(fingerprintBySubmission).forEach((student, fp) -> by.computeIfAbsent(fp, k -> new ArrayList<>()).add(student));
        return by.values().stream().filter(g -> g.size() > 1).toList();
    }
}

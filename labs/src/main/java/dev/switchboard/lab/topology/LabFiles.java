package dev.switchboard.lab.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files of a lab's directory that checks write while its topology runs: the sources of bind mounts
 * ({@code ./dynamic:/etc/switchboard/dynamic}), which the containers (or the simulation) see at
 * once, as they would see an edit in a student's editor. Written in place, so that a file mounted
 * on its own keeps its inode and the container sees the new content. Everything is put back as it
 * was (content restored, new files and folders removed) when the topology closes, so a grading
 * leaves the submission as it found it.
 */
final class LabFiles {
    private final Path directory;
    /** Files changed, with what they held before (null: the file did not exist). */
    private final Map<Path, byte[]> originals = new LinkedHashMap<>();
    private final List<Path> createdDirectories = new ArrayList<>();

    LabFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** Writes {@code content} to {@code relativePath} of the lab's directory (the compose file's folder). */
    synchronized void write(String relativePath, String content) {
        Path target = resolve(relativePath);
        try {
            if (!originals.containsKey(target)) {
                originals.put(target, Files.isRegularFile(target) ? Files.readAllBytes(target) : null);
            }
            createParents(target.getParent());
            Files.writeString(target, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Puts every file written back as it was. */
    synchronized void restore() {
        originals.forEach((file, before) -> {
            try {
                if (before == null) {
                    Files.deleteIfExists(file);
                } else {
                    Files.write(file, before);
                }
            } catch (IOException e) {
                // the next grading overwrites it anyway; nothing else to do here
            }
        });
        originals.clear();
        for (int i = createdDirectories.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(createdDirectories.get(i));
            } catch (IOException e) {
                // not empty: something else wrote there, keep it
            }
        }
        createdDirectories.clear();
    }

    private Path resolve(String relativePath) {
        if (relativePath == null || relativePath.isBlank()) {
            throw new IllegalArgumentException("no file name given");
        }
        Path rel = Path.of(relativePath);
        Path target = directory.resolve(rel).normalize();
        if (rel.isAbsolute() || !target.startsWith(directory) || target.equals(directory)) {
            throw new IllegalArgumentException(relativePath + " is not a file inside the lab's folder " + directory
                    + ": give a path relative to the compose file, such as dynamic/routers.yml");
        }
        return target;
    }

    private void createParents(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.exists(p) && p.startsWith(directory); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            createdDirectories.add(p);
        }
    }
}

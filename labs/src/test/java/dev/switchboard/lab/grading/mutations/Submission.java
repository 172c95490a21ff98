package dev.switchboard.lab.grading.mutations;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A mutation written out as a submission: its compose file next to the lab's own files (so relative
 * build contexts stay right), and a copy of each folder whose files it edits ({@code dynamic.solution}
 * becomes {@code .mutation-<id>-dynamic.solution}, and the compose file mounts the copy). Removed on
 * close.
 */
final class Submission implements AutoCloseable {

    /** What a mutation changes, which decides what a grading can share with another. */
    enum Kind {
        /** Only labels of services: what the proxy reads from Docker. */
        LABELS,
        /** Only files of a folder the proxy reads (dynamic configuration). */
        FILES,
        /** Anything else: the proxy's flags, replicas, networks, environment. */
        TOPOLOGY
    }

    private final Path compose;
    private final List<Path> created;
    private final Kind kind;

    private Submission(Path compose, List<Path> created, Kind kind) {
        this.compose = compose;
        this.created = created;
        this.kind = kind;
    }

    Path compose() {
        return compose;
    }

    Kind kind() {
        return kind;
    }

    /** Writes {@code m} applied to the solution in {@code labDir}. */
    static Submission write(Path labDir, Mutation m) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<Path> created = new ArrayList<>();
        try {
            String solution = Files.readString(labDir.resolve(Mutation.COMPOSE));
            String text = solution;
            Map<String, List<Mutation.Edit>> byFile = new LinkedHashMap<>();
            for (Mutation.Edit e : m.edits()) {
                byFile.computeIfAbsent(e.file(), k -> new ArrayList<>()).add(e);
            }
            for (Mutation.Edit e : byFile.getOrDefault(Mutation.COMPOSE, List.of())) {
                text = e.apply(text);
            }
            boolean composeEdited = !text.equals(solution);
            for (Map.Entry<String, List<Mutation.Edit>> f : byFile.entrySet()) {
                if (f.getKey().equals(Mutation.COMPOSE)) {
                    continue;
                }
                String folder = Path.of(f.getKey()).getName(0).toString();
                Path copy = labDir.resolve(".mutation-" + id + "-" + folder);
                if (!Files.exists(copy)) {
                    copyTree(labDir.resolve(folder), copy);
                    created.add(copy);
                    text = new Mutation.Edit(Mutation.COMPOSE, "./" + folder + ":", "./" + copy.getFileName() + ":", true, false)
                            .apply(text);
                }
                Path file = copy.resolve(Path.of(folder).relativize(Path.of(f.getKey())));
                String content = Files.readString(file);
                for (Mutation.Edit e : f.getValue()) {
                    content = e.apply(content);
                }
                Files.writeString(file, content);
            }
            Path compose = labDir.resolve(".mutation-" + id + ".yaml");
            Files.writeString(compose, text);
            created.add(compose);
            Kind kind = !composeEdited ? Kind.FILES : onlyLabels(labDir.resolve(Mutation.COMPOSE), compose) ? Kind.LABELS
                    : Kind.TOPOLOGY;
            if (!composeEdited && byFile.isEmpty()) {
                throw new IllegalStateException(m.name() + ": no edit");
            }
            return new Submission(compose, created, kind);
        } catch (IOException e) {
            created.forEach(Submission::delete);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            created.forEach(Submission::delete);
            throw e;
        }
    }

    /** Whether the two compose files differ in their services' labels only. */
    static boolean onlyLabels(Path a, Path b) {
        ComposeFile x;
        ComposeFile y;
        try {
            x = ComposeParser.parse(a);
            y = ComposeParser.parse(b);
        } catch (RuntimeException e) {
            return false;
        }
        if (!x.services().keySet().equals(y.services().keySet()) || !x.networks().equals(y.networks())) {
            return false;
        }
        for (String name : x.services().keySet()) {
            if (!withoutLabels(x.services().get(name)).equals(withoutLabels(y.services().get(name)))) {
                return false;
            }
        }
        return true;
    }

    /** A service's settings but its labels (and where it was written), compared by value. */
    private static List<Object> withoutLabels(ComposeFile.Service s) {
        List<Object> values = new ArrayList<>();
        for (RecordComponent c : ComposeFile.Service.class.getRecordComponents()) {
            if (c.getName().equals("labels") || c.getName().equals("source")) {
                continue;
            }
            try {
                values.add(Objects.toString(c.getAccessor().invoke(s)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void delete(Path p) {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            // a leftover .mutation-* file is ignored by git and harmless
        }
    }

    @Override
    public void close() {
        created.forEach(Submission::delete);
    }
}

package dev.switchboard.lab.classroom;

import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.grading.Suites;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code lab classroom export}: the repository students get. The kit as they need it (the proxy, the
 * producer, the database, the starters, the handouts, the lab tool with its grading suites, the Maven
 * wrapper to build it) and the CI files that grade it where courses already grade (GitHub Classroom,
 * GitLab); without the reference solutions, the instructors' pages, the tests that grade the
 * solutions, or the benchmarks. The lab tool built there has no {@code --solution} option: it offers
 * it only where solutions exist ({@link SolutionOption}).
 */
public final class StudentRepository {
    /** What is copied from the top of the repository; everything else stays with the instructors. */
    static final List<String> KIT = List.of(".mvn", "mvnw", "mvnw.cmd", "lab", "lab.cmd", ".gitignore", "pom.xml", "proxy", "testkit",
            "sample-db", "sample-producer", "docs", "labs", "compose", "examples");
    /** Never copied, at any depth: build output, lab state, version control and IDE files. */
    static final Set<String> NEVER = Set.of("target", ".lab", ".git", ".idea", ".vscode", "node_modules");
    /** Markdown between these lines is for instructors only: the export leaves it out. */
    static final String BEGIN = "<!-- instructors -->";
    static final String END = "<!-- /instructors -->";
    /** What points students at a solution; none of it may be left in a student's text. */
    static final List<String> SOLUTION_WORDS = List.of(LabFolders.SOLUTION, "dynamic.solution", "--solution");

    private final Path root;
    private final Consumer<String> progress;

    public StudentRepository(Path root, Consumer<String> progress) {
        this.root = root;
        this.progress = progress;
    }

    /** Writes the student repository into {@code target} (new or empty); {@code labs} are those the CI files grade. */
    public void export(Path target, List<String> labs) throws IOException {
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException(target + " is not empty: export into a new folder");
                }
            }
        }
        Path t = target.toAbsolutePath().normalize();
        if (t.startsWith(root)) {
            throw new IllegalArgumentException(target + " is inside the kit's repository: export somewhere else (e.g. ../course-labs)");
        }
        Files.createDirectories(t);
        for (String top : KIT) {
            Path from = root.resolve(top);
            if (Files.exists(from)) {
                copy(from, t.resolve(top));
            }
        }
        Files.writeString(t.resolve("pom.xml"), pom(Files.readString(root.resolve("pom.xml")), t));
        Files.writeString(t.resolve("README.md"), template("README.md", labs));
        Files.createDirectories(t.resolve(".github/workflows"));
        Files.writeString(t.resolve(".github/workflows/classroom.yml"), Workflows.githubClassroom(labs));
        Files.writeString(t.resolve(".gitlab-ci.yml"), Workflows.gitlab(labs));
        List<String> problems = leftovers(t);
        if (!problems.isEmpty()) {
            deleteTree(t);
            throw new IllegalStateException("the export still points students at solutions; fix these (wrap instructor-only "
                    + "Markdown in " + BEGIN + " ... " + END + "):\n  " + String.join("\n  ", problems));
        }
        progress.accept("wrote " + t + ": " + labs.size() + " lab(s) graded by its CI files (" + String.join(", ", labs) + ")");
    }

    private void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = root.relativize(p);
                if (excluded(rel)) {
                    continue;
                }
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md")) {
                    Files.createDirectories(dest.getParent());
                    Files.writeString(dest, forStudents(rel.toString().replace('\\', '/'), Files.readString(p)));
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Whether a path (relative to the repository) stays with the instructors. */
    static boolean excluded(Path rel) {
        String path = rel.toString().replace('\\', '/');
        for (Path part : rel) {
            String name = part.toString();
            if (NEVER.contains(name) || name.endsWith(".iml") || name.contains(".solution")) {
                return true;
            }
        }
        return path.matches("[^/]+/src/test(/.*)?") || path.equals("docs/instructors") || path.startsWith("docs/instructors/")
                || path.startsWith("compose/") && rel.getFileName().toString().startsWith(".test-");
    }

    /**
     * A Markdown page as students read it: instructor-only blocks left out; in the docs' table of
     * contents, the links to instructors' pages and a heading left with none.
     */
    static String forStudents(String path, String markdown) {
        List<String> out = new ArrayList<>();
        boolean skipping = false;
        for (String line : markdown.split("\n", -1)) {
            String l = line.trim();
            if (l.equals(BEGIN)) {
                skipping = true;
                continue;
            }
            if (l.equals(END)) {
                skipping = false;
                continue;
            }
            if (!skipping && !(path.endsWith("SUMMARY.md") && l.matches("- \\[.*]\\(instructors/.*\\)"))) {
                out.add(line);
            }
        }
        if (path.endsWith("SUMMARY.md")) {
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).startsWith("## ") && nextHeadingOrEnd(out, i) == i + 1 + blanks(out, i + 1)) {
                    out.remove(i);
                    while (i < out.size() && out.get(i).isBlank() && (i == 0 || out.get(i - 1).isBlank())) {
                        out.remove(i);
                    }
                    i--;
                }
            }
        }
        return String.join("\n", out);
    }

    private static int blanks(List<String> lines, int from) {
        int n = 0;
        while (from + n < lines.size() && lines.get(from + n).isBlank()) {
            n++;
        }
        return n;
    }

    private static int nextHeadingOrEnd(List<String> lines, int heading) {
        for (int i = heading + 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ")) {
                return i;
            }
        }
        return lines.size();
    }

    /** The root pom without the modules that are not exported (the benchmarks), and without the comment above each. */
    static String pom(String pom, Path target) {
        List<String> out = new ArrayList<>();
        Pattern module = Pattern.compile("\\s*<module>([^<]+)</module>\\s*");
        String[] lines = pom.split("\n", -1);
        for (String line : lines) {
            var m = module.matcher(line);
            if (m.matches() && !Files.isDirectory(target.resolve(m.group(1).trim()))) {
                if (!out.isEmpty() && out.get(out.size() - 1).trim().startsWith("<!--") && out.get(out.size() - 1).trim().endsWith("-->")) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(line);
        }
        return String.join("\n", out);
    }

    /**
     * What in an export still points at a solution: a file of a solution, or a student-facing text
     * (Markdown, YAML, the scripts) naming the solution files or the {@code --solution} option. Java
     * sources are the tool's and name the file it would look for.
     */
    public static List<String> leftovers(Path export) throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> all = Files.walk(export)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = export.relativize(p).toString().replace('\\', '/');
                if (p.getFileName() != null && p.getFileName().toString().contains(".solution")) {
                    problems.add(rel + ": a solution file");
                    continue;
                }
                String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
                boolean text = name.endsWith(".md") || name.endsWith(".yaml") || name.endsWith(".yml") || name.equals("lab")
                        || name.equals("lab.cmd") || name.endsWith(".txt");
                if (!Files.isRegularFile(p) || !text) {
                    continue;
                }
                String[] lines = Files.readString(p).split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    for (String word : SOLUTION_WORDS) {
                        if (lines[i].contains(word)) {
                            problems.add(rel + ":" + (i + 1) + ": mentions " + word);
                        }
                    }
                }
            }
        }
        return problems;
    }

    private String template(String name, List<String> labs) throws IOException {
        try (InputStream in = StudentRepository.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder list = new StringBuilder();
            for (Path lab : LabFolders.all(root)) {
                String id = LabFolders.id(lab);
                String title = Suites.of(id).map(s -> s.title()).orElse(lab.getFileName().toString());
                list.append("| ").append(id).append(" | ").append(title).append(" | [docs/labs/").append(lab.getFileName())
                        .append(".md](docs/labs/").append(lab.getFileName()).append(".md) | `compose/").append(lab.getFileName())
                        .append("/` |\n");
            }
            return text.replace("{{labs}}", list.toString().stripTrailing()).replace("{{graded}}", String.join(", ", labs));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package dev.switchboard.lab.grading.batch;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who each submission folder belongs to: a CSV file with a header row and one row per student.
 * Columns (any order, case and spaces ignored): {@code folder} (also {@code github_username},
 * {@code repository}), {@code student_id} (also {@code id}, {@code identifier}, {@code id number}),
 * {@code name} (or {@code first_name} and {@code last_name}), {@code email}, and optionally
 * {@code login} (Canvas's SIS Login ID) and {@code section}. A folder matches its row by name, or,
 * as GitHub Classroom names the repositories it clones, {@code <assignment>-<folder>}.
 */
public final class Roster {

    /** One student. Empty strings for what the roster does not say. */
    public record Student(String folder, String id, String firstName, String lastName, String email, String login,
            String section) {

        public String name() {
            return (firstName + " " + lastName).trim();
        }
    }

    private final Path file;
    private final List<Student> students;

    private Roster(Path file, List<Student> students) {
        this.file = file;
        this.students = List.copyOf(students);
    }

    public Path file() {
        return file;
    }

    public List<Student> students() {
        return students;
    }

    /** Reads a roster; a missing {@code folder} column or an empty or repeated folder is an error naming the line. */
    public static Roster read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--roster " + file + ": no such file");
        }
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        String text = Files.readString(file).replace("\uFEFF", "");
        List<Student> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
            while (rows.hasNextValue()) {
                int line = rows.getCurrentLocation().getLineNr();
                Map<String, String> row = normalise(rows.nextValue());
                String folder = first(row, "folder", "github_username", "repository", "directory");
                if (folder == null) {
                    throw new IllegalArgumentException(file + ": no folder column: the header needs \"folder\" (or "
                            + "\"github_username\"), the name of the student's folder in --submissions; it has "
                            + String.join(", ", row.keySet()));
                }
                if (folder.isEmpty()) {
                    throw new IllegalArgumentException(file + ":" + line + ": the folder is empty");
                }
                Integer before = seen.put(folder, line);
                if (before != null) {
                    throw new IllegalArgumentException(file + ":" + line + ": folder \"" + folder + "\" is already on line " + before);
                }
                String first = orEmpty(first(row, "first_name", "firstname", "given_name"));
                String last = orEmpty(first(row, "last_name", "lastname", "surname", "family_name"));
                String name = first(row, "name", "full_name", "student");
                if (first.isEmpty() && last.isEmpty() && name != null) {
                    int space = name.lastIndexOf(' ');
                    first = space < 0 ? name : name.substring(0, space);
                    last = space < 0 ? "" : name.substring(space + 1);
                }
                out.add(new Student(folder, orEmpty(first(row, "student_id", "id", "identifier", "id_number", "sis_user_id")),
                        first, last, orEmpty(first(row, "email", "email_address", "e_mail")),
                        orEmpty(first(row, "login", "sis_login_id", "username")), orEmpty(first(row, "section"))));
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": not a CSV roster: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        return new Roster(file, out);
    }

    private static Map<String, String> normalise(Map<String, String> row) {
        Map<String, String> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_"), v == null ? "" : v.trim()));
        return out;
    }

    private static String first(Map<String, String> row, String... keys) {
        for (String k : keys) {
            if (row.containsKey(k)) {
                return row.get(k);
            }
        }
        return null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * The student a submission folder belongs to: the row whose folder is its name, else the one
     * row whose folder ends its name after a dash ({@code lab3-alice} is {@code alice}'s, as GitHub
     * Classroom names the repositories it clones); the longest such folder wins ({@code lab3-jo-ann}
     * is {@code jo-ann}'s, not {@code ann}'s).
     */
    public Optional<Student> of(String folderName) {
        Student best = null;
        for (Student s : students) {
            if (s.folder().equals(folderName)) {
                return Optional.of(s);
            }
            if (folderName.endsWith("-" + s.folder()) && (best == null || s.folder().length() > best.folder().length())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }
}

package dev.switchboard.lab.grading;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The files a grading can write, chosen with {@code lab grade --format}. The default three are for
 * people (Markdown, HTML) and CI systems (JUnit XML, which GitLab, Jenkins and most others read);
 * {@code classroom} is the result GitHub Classroom's autograding reporter reads, and {@code json}
 * the whole report for scripts (a batch reads its gradings back from it).
 */
public enum ReportFormat {
    MARKDOWN("report.md"),
    HTML("report.html"),
    JUNIT("report.xml"),
    CLASSROOM("classroom.json"),
    JSON("result.json");

    /** What {@code lab grade} writes when no {@code --format} is given. */
    public static final Set<ReportFormat> DEFAULT = EnumSet.of(MARKDOWN, HTML, JUNIT);

    private final String fileName;

    ReportFormat(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** {@code markdown}, as on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code markdown,junit}: one or more names, comma-separated; {@code md} and {@code xml} are accepted too. */
    public static Set<ReportFormat> parse(String list) {
        Set<ReportFormat> out = EnumSet.noneOf(ReportFormat.class);
        for (String word : list.split(",")) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            ReportFormat f = switch (w) {
                case "md", "markdown" -> MARKDOWN;
                case "html" -> HTML;
                case "junit", "xml" -> JUNIT;
                case "classroom", "github-classroom" -> CLASSROOM;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("--format: unknown format \"" + word.trim() + "\": use "
                        + String.join(", ", Arrays.stream(values()).map(ReportFormat::label).toList()) + " (comma-separated)");
            };
            out.add(f);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--format: name at least one format, e.g. --format markdown,junit");
        }
        return out;
    }
}

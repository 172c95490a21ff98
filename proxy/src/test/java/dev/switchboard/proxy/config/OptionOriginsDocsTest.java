package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.switchboard.proxy.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reference docs' "from" columns and the option registry ({@code option-origins.tsv}) agree:
 * every option table of docs/reference has the column, each row says what the registry says
 * (Traefik v3.2 for options it does not list), and every registry entry placed on a page is found
 * in one of its tables.
 */
class OptionOriginsDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "reference");
    private static final Set<String> OPTION_TABLES = Set.of("flag", "option", "label", "kind", "strategy", "matcher", "command");
    private static final Pattern SEPARATOR = Pattern.compile("^\\|[-| :]+\\|$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /** One row of an option table: page, heading above it, option name, "from" cell. */
    record Row(String page, String heading, String name, String from, int line) {
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> pages = Files.list(DOCS)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                List<String> lines = Files.readAllLines(page);
                String heading = "";
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.startsWith("#")) {
                        heading = line;
                    }
                    if (!line.startsWith("|") || i + 1 >= lines.size() || !SEPARATOR.matcher(lines.get(i + 1).trim()).matches()) {
                        continue;
                    }
                    List<String> header = cells(line);
                    if (!OPTION_TABLES.contains(header.get(0).toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    int from = header.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList().indexOf("from");
                    assertTrue(from >= 0, page.getFileName() + ":" + (i + 1) + ": an option table needs a \"from\" column");
                    for (int j = i + 2; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                        List<String> c = cells(lines.get(j));
                        rows.add(new Row(page.getFileName().toString(), heading, name(c.get(0)), c.get(from), j + 1));
                    }
                }
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String t = line.trim();
        List<String> out = new ArrayList<>();
        for (String c : t.substring(1, t.length() - 1).split("\\|", -1)) {
            out.add(c.trim());
        }
        return out;
    }

    /** The option as the first cell names it: its first code span, without a {@code =value}. */
    private static String name(String cell) {
        Matcher m = CODE.matcher(cell);
        String n = m.find() ? m.group(1) : cell;
        if (!n.startsWith("--")) {
            n = n.split(":")[0];
        }
        return n.split("=")[0].trim();
    }

    /** What the registry says for a row: its entry, else a heading's or the page's "*" entry, else Traefik v3.2. */
    private static String expected(Row row) {
        for (OptionOrigins.Entry e : OptionOrigins.entries()) {
            if (e.pageFile().equals(row.page()) && e.name().equalsIgnoreCase(row.name())
                    && row.heading().toLowerCase(Locale.ROOT).contains(e.heading().toLowerCase(Locale.ROOT))) {
                return e.from();
            }
        }
        for (OptionOrigins.Entry e : OptionOrigins.entries()) {
            if (e.name().equals("*") && e.pageFile().equals(row.page()) && !e.heading().isEmpty()
                    && row.heading().toLowerCase(Locale.ROOT).contains(e.heading().toLowerCase(Locale.ROOT))) {
                return e.from();
            }
        }
        for (OptionOrigins.Entry e : OptionOrigins.entries()) {
            if (e.name().equals("*") && e.page().equals(row.page())) {
                return e.from();
            }
        }
        return OptionOrigins.V3_2;
    }

    @Test
    void everyOptionRowSaysWhatTheRegistrySays() throws IOException {
        List<String> wrong = new ArrayList<>();
        List<Row> rows = rows();
        assertTrue(rows.size() > 100, "option rows found: " + rows.size());
        for (Row row : rows) {
            String want = expected(row);
            if (!want.equals(row.from())) {
                wrong.add(row.page() + ":" + row.line() + " " + row.name() + ": \"" + row.from() + "\", the registry says \"" + want + "\"");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyRegistryEntryPlacedOnAPageIsInOneOfItsTables() throws IOException {
        List<Row> rows = rows();
        List<String> missing = new ArrayList<>();
        for (OptionOrigins.Entry e : OptionOrigins.entries()) {
            if (e.page().equals("-") || e.name().equals("*")) {
                continue;
            }
            boolean found = rows.stream().anyMatch(r -> r.page().equals(e.pageFile()) && r.name().equalsIgnoreCase(e.name())
                    && r.heading().toLowerCase(Locale.ROOT).contains(e.heading().toLowerCase(Locale.ROOT)));
            if (!found) {
                missing.add(e.page() + " " + e.name());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyEntrySaysTraefikVersionOrSwitchboardOnly() {
        for (OptionOrigins.Entry e : OptionOrigins.entries()) {
            assertTrue(e.from().matches("Traefik v3\\.\\d+|Switchboard only"), e.toString());
            assertTrue(!e.from().equals(OptionOrigins.V3_2), "v3.2 options need no entry: " + e);
        }
    }

    @Test
    void anOptionV32DoesNotKnowWarnsOnceNamingWhereAndTheVersion() {
        OptionOrigins.forgetWarnings();
        try (LogCapture log = new LogCapture(OptionOrigins.class)) {
            OptionOrigins.check("value:services.app1.loadbalancer.strategy=hrw", "dynamic.yml:7");
            OptionOrigins.check("value:services.app2.loadbalancer.strategy=hrw", "dynamic.yml:12");
            OptionOrigins.check("dynamic:services.app1.loadbalancer.passhostheader", "dynamic.yml:8");
            List<String> warnings = log.lines(Level.WARN);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("dynamic.yml:7: hrw was added in Traefik v3.6"), warnings.get(0));
        }
    }
}

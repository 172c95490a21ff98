package dev.switchboard.lab.grading;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** A report as Markdown (what the student reads), HTML (the same, rendered), JUnit XML (for CI systems), and CSV rows. */
public final class ReportWriter {
    private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());

    private ReportWriter() {
    }

    public static String markdown(Report r) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(r.lab()).append(": ").append(r.title()).append("\n\n");
        if (r.student() != null) {
            b.append("Submission: `").append(r.student()).append("`  \n");
        }
        b.append("Backend: ").append(r.backend()).append("  \n");
        b.append("Graded: ").append(r.at()).append("\n\n");
        switch (r.outcome()) {
            case INFRASTRUCTURE_ERROR -> b.append("**Not graded: infrastructure error.** ").append(r.error())
                    .append("\n\nThis is not a zero: the grader could not run the topology. Fix the machine and grade again.\n");
            case TIMED_OUT -> b.append("**Not graded: timed out.** ").append(r.error())
                    .append("\n\nThis is not a zero: the grading was stopped at the batch's time limit. Grade this submission "
                            + "again (alone, or with a longer --timeout).\n");
            case INTERRUPTED -> b.append("**Not graded: interrupted.** ").append(r.error())
                    .append("\n\nThis is not a zero: the batch was stopped before this grading finished.\n");
            case NO_SUBMISSION -> b.append("**Not graded: no submission.** ").append(r.error()).append("\n");
            case SUBMISSION_ERROR -> b.append("**Score: 0 / ").append(r.maxPoints()).append("**: ").append(r.error())
                    .append("\n");
            default -> b.append("**Score: ").append(r.score()).append(" / ").append(r.maxPoints()).append("**\n");
        }
        if (!r.results().isEmpty()) {
            b.append("\n| | check | points | what was seen |\n|---|---|---|---|\n");
            for (CheckResult c : r.results()) {
                b.append("| ").append(c.passed() ? "✔" : "✘").append(" | ").append(cell(c.name())).append(" | ")
                        .append(c.awarded()).append(" / ").append(c.points()).append(" | ")
                        .append(cell(c.observed() == null ? "" : c.observed())).append(" |\n");
            }
            List<CheckResult> failed = r.results().stream().filter(c -> !c.passed()).toList();
            if (!failed.isEmpty() && r.outcome() == Report.Outcome.GRADED) {
                b.append("\n## Where to look\n\n");
                for (CheckResult c : failed) {
                    b.append("- **").append(c.name()).append("**: ").append(c.hint()).append('\n');
                }
            }
        }
        if (!r.attachments().isEmpty()) {
            b.append("\n## Files\n\n");
            for (Report.Attachment a : r.attachments()) {
                b.append("- [").append(a.fileName()).append("](").append(a.fileName()).append("): ").append(a.description()).append('\n');
                if (a.fileName().endsWith(".svg") || a.fileName().endsWith(".png")) {
                    b.append("\n  ![").append(a.description()).append("](").append(a.fileName()).append(")\n");
                }
            }
        }
        return b.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    public static String html(Report r) {
        String body = HtmlRenderer.builder().extensions(EXTENSIONS).build()
                .render(Parser.builder().extensions(EXTENSIONS).build().parse(markdown(r)));
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(r.lab() + ": " + r.title())
                + "</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:top}</style>"
                + "</head><body>\n" + body + "</body></html>\n";
    }

    /** One testsuite, one testcase per check; failures carry what was seen and the hint. */
    public static String junitXml(Report r) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", r.lab() + (r.student() == null ? "" : "." + r.student()));
            int failures = (int) r.results().stream().filter(c -> !c.passed()).count();
            boolean infra = !r.outcome().scored();
            x.writeAttribute("tests", String.valueOf(infra ? 1 : r.results().size()));
            x.writeAttribute("failures", String.valueOf(infra ? 0 : failures));
            x.writeAttribute("errors", String.valueOf(infra ? 1 : 0));
            x.writeAttribute("timestamp", r.at().toString());
            x.writeCharacters("\n");
            x.writeStartElement("properties");
            property(x, "score", r.scoreCell());
            property(x, "maxPoints", String.valueOf(r.maxPoints()));
            property(x, "backend", r.backend());
            x.writeEndElement();
            x.writeCharacters("\n");
            if (infra) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", r.lab());
                x.writeAttribute("name", r.outcome() == Report.Outcome.INFRASTRUCTURE_ERROR ? "topology" : r.outcome().label());
                x.writeStartElement("error");
                x.writeAttribute("message", r.error() == null ? r.outcome().label() : r.error());
                x.writeEndElement();
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            for (CheckResult c : r.results()) {
                x.writeStartElement("testcase");
                x.writeAttribute("classname", r.lab());
                x.writeAttribute("name", c.id() + " (" + c.points() + " points): " + c.name());
                x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", c.took().toMillis() / 1000.0));
                if (!c.passed()) {
                    x.writeStartElement("failure");
                    x.writeAttribute("message", c.observed() == null ? "failed" : c.observed());
                    x.writeCharacters("Hint: " + c.hint());
                    x.writeEndElement();
                }
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out + "\n";
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value == null ? "" : value);
    }

    /** The CSV of a batch: one row per submission. */
    public static String csv(List<Report> reports) {
        StringBuilder b = new StringBuilder("student,lab,score,max,outcome,failed_checks\n");
        for (Report r : reports) {
            String failed = String.join(" ", r.results().stream().filter(c -> !c.passed()).map(CheckResult::id).toList());
            b.append(csvCell(r.student())).append(',').append(r.lab()).append(',').append(r.scoreCell()).append(',')
                    .append(r.maxPoints()).append(',').append(r.outcome().label()).append(',')
                    .append(csvCell(failed)).append('\n');
        }
        return b.toString();
    }

    /** A CSV cell: quoted when it holds a comma or a quote (RFC 4180). */
    public static String csvCell(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Writes report.md, report.html and report.xml into {@code dir}, and the files the checks attached. */
    public static void write(Report r, Path dir) throws IOException {
        write(r, dir, ReportFormat.DEFAULT);
    }

    /** Writes the report in {@code formats} into {@code dir} (see {@link ReportFormat#fileName()}), and the files the checks attached. */
    public static void write(Report r, Path dir, java.util.Set<ReportFormat> formats) throws IOException {
        Files.createDirectories(dir);
        for (ReportFormat f : formats) {
            Files.writeString(dir.resolve(f.fileName()), render(r, f));
        }
        for (Report.Attachment a : r.attachments()) {
            Files.writeString(dir.resolve(a.fileName()), a.content());
        }
    }

    /** The report in one format. */
    public static String render(Report r, ReportFormat format) {
        return switch (format) {
            case MARKDOWN -> markdown(r);
            case HTML -> html(r);
            case JUNIT -> junitXml(r);
            case CLASSROOM -> ReportJson.classroom(r);
            case JSON -> ReportJson.json(r);
        };
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

package dev.switchboard.lab.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as JSON: the whole report ({@code result.json}, read back by a batch), and the result
 * GitHub Classroom's autograding reporter reads ({@code classroom.json}).
 */
public final class ReportJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** Every field of the report except attached files' content (they are written beside it). */
    public static String json(Report r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("lab", r.lab());
        o.put("title", r.title());
        o.put("student", r.student());
        o.put("backend", r.backend());
        o.put("outcome", r.outcome().label());
        o.put("error", r.error());
        if (r.outcome().scored()) {
            o.put("score", r.score());
        } else {
            o.putNull("score");
        }
        o.put("maxPoints", r.maxPoints());
        o.put("at", r.at().toString());
        ArrayNode checks = o.putArray("checks");
        for (CheckResult c : r.results()) {
            ObjectNode n = checks.addObject();
            n.put("id", c.id());
            n.put("name", c.name());
            n.put("points", c.points());
            n.put("passed", c.passed());
            n.put("observed", c.observed());
            n.put("hint", c.hint());
            n.put("millis", c.took().toMillis());
        }
        ArrayNode files = o.putArray("attachments");
        r.attachments().forEach(a -> files.addObject().put("fileName", a.fileName()).put("description", a.description()));
        return write(o);
    }

    /** The report {@link #json} wrote (attachments are listed there, not read back). */
    public static Report read(String json) throws IOException {
        JsonNode o = JSON.readTree(json);
        List<CheckResult> results = new ArrayList<>();
        for (JsonNode c : o.path("checks")) {
            results.add(new CheckResult(c.path("id").asText(), c.path("name").asText(), c.path("points").asInt(),
                    c.path("passed").asBoolean(), text(c, "observed"), text(c, "hint"), Duration.ofMillis(c.path("millis").asLong())));
        }
        Report.Outcome outcome;
        try {
            outcome = Report.Outcome.valueOf(o.path("outcome").asText().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException("not a grading result: outcome \"" + o.path("outcome").asText() + "\"", e);
        }
        return new Report(o.path("lab").asText(), o.path("title").asText(), text(o, "student"), o.path("backend").asText(),
                outcome, text(o, "error"), results, o.path("maxPoints").asInt(), Instant.parse(o.path("at").asText()));
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * The result format of GitHub Classroom's autograding graders ({@code version 1}: {@code status},
     * {@code max_score}, one entry in {@code tests} per check with its {@code score}). The reporter
     * (classroom-resources/autograding-grading-reporter) reads it base64-encoded from
     * {@code <RUNNER>_RESULTS} and sends Classroom the sum of the tests' scores out of
     * {@code max_score}; it fails the workflow when {@code status} is {@code fail} or {@code error}.
     * A submission that was not graded (an infrastructure error, a time-out) is {@code error} with
     * no points: Classroom has no "not graded", and the failed run says to grade again.
     */
    public static String classroom(Report r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", 1);
        boolean scored = r.outcome().scored();
        boolean allPassed = scored && r.outcome() == Report.Outcome.GRADED && r.results().stream().allMatch(CheckResult::passed);
        o.put("status", !scored ? "error" : allPassed ? "pass" : "fail");
        o.put("max_score", r.maxPoints());
        ArrayNode tests = o.putArray("tests");
        if (!scored || r.results().isEmpty()) {
            ObjectNode t = tests.addObject();
            t.put("name", r.lab() + ": " + r.title());
            t.put("status", scored ? "fail" : "error");
            t.put("score", 0);
            t.put("message", (scored ? "" : "Not graded (" + r.outcome().label() + "): ") + (r.error() == null ? "" : r.error()));
            t.put("test_code", "");
            t.put("filename", "");
            t.put("line_no", 0);
            t.put("duration", 0);
        }
        for (CheckResult c : r.results()) {
            ObjectNode t = tests.addObject();
            t.put("name", c.name() + " (" + c.points() + " points)");
            t.put("status", c.passed() ? "pass" : "fail");
            t.put("score", c.awarded());
            String observed = c.observed() == null ? "" : c.observed();
            t.put("message", c.passed() ? observed : observed + (c.hint() == null ? "" : "\nWhere to look: " + c.hint()));
            t.put("test_code", c.id());
            t.put("filename", "");
            t.put("line_no", 0);
            t.put("duration", c.took().toMillis());
        }
        return write(o);
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

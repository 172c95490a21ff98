package dev.switchboard.lab.grading.labs;

import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;

/**
 * One read of the proxy's Prometheus metrics ({@code GET /metrics} on port 8080, as Traefik serves
 * them with {@code --metrics.prometheus=true}), as lab 9's checks read them: series by name and
 * labels, the way a student reads them with {@code curl | grep}.
 *
 * @param series each sample line: its name and labels, and its value
 */
record Metrics(List<Series> series) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+-?\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One series: {@code traefik_service_requests_total{code="200",service="app1@docker"} 12}. */
    record Series(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    /** Reads {@code /metrics} from the proxy's port 8080; fails the check, saying how to turn metrics on, when it is not there. */
    static Metrics read(LabContext lab) throws Exception {
        ContentResponse r = lab.http().newRequest(lab.apiBase().resolve("/metrics")).timeout(10, TimeUnit.SECONDS).send();
        if (r.getStatus() != 200 || !r.getContentAsString().contains("traefik_")) {
            String observed = "GET /metrics on the proxy's port 8080 answered " + r.getStatus() + ": " + Labs.shorten(r.getContentAsString());
            ContentResponse web = lab.http().newRequest(lab.web().resolve("/metrics")).timeout(10, TimeUnit.SECONDS).send();
            if (web.getStatus() == 200 && web.getContentAsString().contains("traefik_")) {
                throw new CheckFailed(observed, "the metrics are served on the entry point web (port 80, open to every client) "
                        + "instead of port 8080: Traefik serves them on its own entry point, traefik, unless "
                        + "--metrics.prometheus.entryPoint says otherwise; remove that flag");
            }
            throw new CheckFailed(observed, "turn on Prometheus metrics in the reverse-proxy's command: "
                    + "--metrics.prometheus=true (Traefik serves them on its port 8080, /metrics)");
        }
        return parse(r.getContentAsString());
    }

    /**
     * Reads until {@code enough} holds, for up to 2 s, and returns the last read: a request is counted
     * when the proxy has finished it, which can be a moment after the client has its answer (Prometheus
     * itself only ever sees the counters a scrape interval late).
     */
    static Metrics readUntil(LabContext lab, java.util.function.Predicate<Metrics> enough) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        Metrics m = read(lab);
        while (!enough.test(m) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            m = read(lab);
        }
        return m;
    }

    /** Parses the Prometheus text format; comment lines ({@code # HELP}, {@code # TYPE}) are skipped. */
    static Metrics parse(String text) {
        List<Series> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            double value;
            try {
                value = Double.parseDouble(m.group(3).replace("Inf", "Infinity"));
            } catch (NumberFormatException e) {
                continue;
            }
            out.add(new Series(m.group(1), labels, value));
        }
        return new Metrics(out);
    }

    /** The series named {@code name} whose labels include {@code labels} (key, value, key, value...). */
    List<Series> find(String name, String... labels) {
        List<Series> out = new ArrayList<>();
        for (Series s : series) {
            boolean match = s.name().equals(name);
            for (int i = 0; match && i + 1 < labels.length; i += 2) {
                match = labels[i + 1].equals(s.labels().get(labels[i]));
            }
            if (match) {
                out.add(s);
            }
        }
        return out;
    }

    /** The sum of the series {@code find} returns (0 when there are none). */
    double sum(String name, String... labels) {
        return find(name, labels).stream().mapToDouble(Series::value).sum();
    }

    /** The names of the series that start with {@code prefix}, without duplicates: what a student's grep would show. */
    List<String> names(String prefix) {
        return series.stream().map(Series::name).filter(n -> n.startsWith(prefix)).distinct().toList();
    }
}

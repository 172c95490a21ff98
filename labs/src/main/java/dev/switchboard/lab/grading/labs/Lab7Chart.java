package dev.switchboard.lab.grading.labs;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Lab 7's chart as a plain SVG file, written by hand (a few rectangles and labels need no charting
 * library): one row per algorithm, on the left how the requests spread over the replicas (the slow
 * one in orange), on the right the median and 95th percentile latency.
 */
final class Lab7Chart {
    private static final int WIDTH = 900;
    private static final int LABEL_X = 16;
    private static final int SHARE_X = 240;
    private static final int SHARE_W = 300;
    private static final int LATENCY_X = 590;
    private static final int LATENCY_W = 250;
    private static final int TOP = 96;
    private static final int ROW = 56;
    private static final int BAR = 24;
    private static final String[] FAST = {"#1f5f99", "#3b82c4", "#6aa6da", "#9cc5ea", "#c6ddf2", "#2a4d6e"};
    private static final String SLOW = "#e8742a";

    private Lab7Chart() {
    }

    static String svg(List<Lab7Algorithms.Measurement> measurements, int slow, int slowMs, int clients) {
        TreeSet<Integer> replicas = new TreeSet<>();
        measurements.forEach(m -> replicas.addAll(m.perReplica().keySet()));
        int rows = Math.max(1, measurements.size());
        int height = TOP + rows * ROW + 70;
        long max = niceCeiling(measurements.stream().mapToLong(Lab7Algorithms.Measurement::p95).max().orElse(1));
        int requests = measurements.stream().mapToInt(Lab7Algorithms.Measurement::total).max().orElse(0);

        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"system-ui, -apple-system, Segoe UI, sans-serif\" font-size=\"12\">\n");
        s.append("<title>Load-balancing algorithms compared: share of requests and latency per route</title>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        text(s, LABEL_X, 26, "The algorithms compared, one slow replica", "font-size=\"17\" font-weight=\"600\"");
        text(s, LABEL_X, 46, "replica " + slow + " answers " + slowMs + " ms late; " + requests + " requests from " + clients
                + " clients per route", "fill=\"#555\"");
        text(s, SHARE_X, TOP - 22, "Share of requests per replica", "font-weight=\"600\"");
        text(s, LATENCY_X, TOP - 22, "Latency, ms: median and 95th percentile", "font-weight=\"600\"");

        for (int pct = 0; pct <= 100; pct += 25) {
            double x = SHARE_X + SHARE_W * pct / 100.0;
            line(s, x, TOP - 8, x, TOP + rows * ROW - 8, "#e3e3e3");
            text(s, x, TOP + rows * ROW + 8, pct + " %", "text-anchor=\"middle\" fill=\"#777\"");
        }
        for (int i = 0; i <= 4; i++) {
            double x = LATENCY_X + LATENCY_W * i / 4.0;
            line(s, x, TOP - 8, x, TOP + rows * ROW - 8, "#e3e3e3");
            text(s, x, TOP + rows * ROW + 8, String.valueOf(max * i / 4), "text-anchor=\"middle\" fill=\"#777\"");
        }

        int row = 0;
        for (Lab7Algorithms.Measurement m : measurements) {
            double y = TOP + row * ROW;
            text(s, LABEL_X, y + 10, m.algorithm().label(), "font-weight=\"600\"");
            text(s, LABEL_X, y + 26, m.algorithm().prefix() + ", " + m.algorithm().strategy() + (m.algorithm().graded() ? ""
                    : " (" + m.algorithm().since() + ")"), "fill=\"#666\"");
            double x = SHARE_X;
            int colour = 0;
            for (int replica : replicas) {
                double share = m.share(replica);
                String fill = replica == slow ? SLOW : FAST[colour++ % FAST.length];
                double w = SHARE_W * share;
                if (w > 0) {
                    s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                            + "<title>replica %d: %d requests (%s)</title></rect>%n", x, y, w, BAR, fill, replica,
                            m.perReplica().getOrDefault(replica, 0), Lab7Algorithms.percent(share)));
                    if (w >= 34) {
                        text(s, x + w / 2, y + 16, Lab7Algorithms.percent(share), "text-anchor=\"middle\" fill=\""
                                + (replica == slow || colour <= 2 ? "#fff" : "#123") + "\"");
                    }
                }
                x += w;
            }
            if (m.failed() > 0) {
                text(s, SHARE_X, y + BAR + 14, m.failed() + " failed", "fill=\"#b00020\"");
            }
            double w95 = LATENCY_W * Math.min(1.0, m.p95() / (double) max);
            double w50 = LATENCY_W * Math.min(1.0, m.p50() / (double) max);
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#c9c9d6\">"
                    + "<title>95th percentile: %d ms</title></rect>%n", LATENCY_X, y, Math.max(1, w95), BAR, m.p95()));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#4b4b7a\">"
                    + "<title>median: %d ms</title></rect>%n", LATENCY_X, y + 6, Math.max(1, w50), BAR - 12, m.p50()));
            text(s, LATENCY_X, y + BAR + 13, "p50 " + m.p50() + " ms, p95 " + m.p95() + " ms", "fill=\"#444\"");
            row++;
        }

        double y = TOP + rows * ROW + 34;
        double x = SHARE_X;
        int colour = 0;
        for (int replica : replicas) {
            String fill = replica == slow ? SLOW : FAST[colour++ % FAST.length];
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, y, fill));
            String name = "replica " + replica + (replica == slow ? " (slow)" : "");
            text(s, x + 17, y + 10, name, "");
            x += 20 + name.length() * 6.8;
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"#4b4b7a\"/>%n", LATENCY_X, y));
        text(s, LATENCY_X + 17, y + 10, "median", "");
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"#c9c9d6\"/>%n", LATENCY_X + 80, y));
        text(s, LATENCY_X + 97, y + 10, "95th percentile", "");
        s.append("</svg>\n");
        return s.toString();
    }

    /** The same figures as the chart, one line per algorithm and replica. */
    static String csv(List<Lab7Algorithms.Measurement> measurements, int slow) {
        StringBuilder b = new StringBuilder("algorithm,route,strategy,replica,slow,requests,share,p50_ms,p95_ms,failed\n");
        for (Lab7Algorithms.Measurement m : measurements) {
            for (Map.Entry<Integer, Integer> e : m.perReplica().entrySet()) {
                b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%d,%.3f,%d,%d,%d%n", m.algorithm().id(), m.algorithm().prefix(),
                        m.algorithm().strategy(), e.getKey(), e.getKey() == slow, e.getValue(), m.share(e.getKey()), m.p50(),
                        m.p95(), m.failed()));
            }
        }
        return b.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}: round numbers on the axis. */
    static long niceCeiling(long value) {
        long v = Math.max(1, value);
        long power = 1;
        while (power * 10 < v) {
            power *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * power >= v) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static void text(StringBuilder s, double x, double y, String text, String attributes) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", x, y,
                attributes.isEmpty() ? "" : " " + attributes, escape(text)));
    }

    private static void line(StringBuilder s, double x1, double y1, double x2, double y2, String stroke) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                x1, y1, x2, y2, stroke));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

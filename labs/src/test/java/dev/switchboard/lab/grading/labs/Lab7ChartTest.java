package dev.switchboard.lab.grading.labs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Lab 7's chart: well-formed SVG whose bars are the measurements, and the CSV beside it. */
class Lab7ChartTest {
    private static final List<Lab7Algorithms.Measurement> MEASURED = List.of(
            new Lab7Algorithms.Measurement(Lab7Algorithms.ALGORITHMS.get(0), Map.of(1, 40, 2, 40, 3, 40, 4, 40), 160, 19, 334, 0),
            new Lab7Algorithms.Measurement(Lab7Algorithms.ALGORITHMS.get(3), Map.of(1, 55, 2, 48, 3, 51, 4, 6), 160, 32, 70, 0),
            new Lab7Algorithms.Measurement(Lab7Algorithms.ALGORITHMS.get(5), Map.of(1, 0, 2, 0, 3, 160, 4, 0), 160, 22, 56, 2));

    @Test
    void theSvgIsWellFormedAndEachShareBarIsItsShareOfTheWidth() throws Exception {
        String svg = Lab7Chart.svg(MEASURED, 4, 300, 8);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        List<String> titles = new ArrayList<>();
        List<Double> widths = new ArrayList<>();
        NodeList rects = doc.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            NodeList t = r.getElementsByTagName("title");
            if (t.getLength() == 1 && t.item(0).getTextContent().startsWith("replica ")) {
                titles.add(t.item(0).getTextContent());
                widths.add(Double.parseDouble(r.getAttribute("width")));
            }
        }
        // Round robin: four equal bars; least connections: the slow one small; IP hash: one bar (zero shares draw nothing).
        assertEquals(4 + 4 + 1, titles.size(), () -> String.join("\n", titles));
        assertEquals(widths.get(0), widths.get(3), 0.01);
        assertEquals(widths.get(0) * 4, widths.get(8), 0.5, "a 100 % bar is four 25 % bars wide");
        assertEquals(widths.get(8) * 6 / 160, widths.get(7), 0.5, "6 of 160 requests");
        assertTrue(titles.contains("replica 4: 6 requests (4 %)"), titles::toString);
        assertTrue(svg.contains("replica 4 (slow)") && svg.contains("2 failed") && svg.contains("p50 32 ms, p95 70 ms"));
        assertTrue(svg.contains("/lc, leastconn (Switchboard only)") && svg.contains("/ip, hrw (Traefik v3.6)")
                && svg.contains("/rr, wrr<"), "routes beyond Traefik v3.2 say where their strategy comes from");
    }

    @Test
    void textIsEscaped() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;", Lab7Chart.escape("a <b> & \"c\""));
    }

    @Test
    void theLatencyAxisEndsOnARoundNumber() {
        assertEquals(1, Lab7Chart.niceCeiling(0));
        assertEquals(500, Lab7Chart.niceCeiling(334));
        assertEquals(100, Lab7Chart.niceCeiling(100));
        assertEquals(200, Lab7Chart.niceCeiling(101));
        assertEquals(2000, Lab7Chart.niceCeiling(1001));
    }

    @Test
    void theCsvHasALinePerAlgorithmAndReplica() {
        List<String> lines = Lab7Chart.csv(MEASURED, 4).lines().toList();
        assertEquals(1 + 12, lines.size());
        assertTrue(lines.contains("least-connections,/lc,leastconn,4,true,6,0.038,32,70,0"), lines::toString);
    }
}

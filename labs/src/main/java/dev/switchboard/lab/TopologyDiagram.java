package dev.switchboard.lab;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.model.LabModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a lab's topology as SVG from its compose file: the client, the reverse proxy with its
 * published ports, the services it routes to (one box per replica), and what those services use
 * (the database, calls back through the proxy). The lab handouts show these pictures; they are
 * generated, so they always match the files ({@code ./lab diagram lab2 > docs/labs/img/lab2.svg}).
 */
public final class TopologyDiagram {
    private static final int BOX_W = 170;
    private static final int REPLICA_H = 26;
    private static final int GAP = 14;

    private TopologyDiagram() {
    }

    private enum Role {
        PROXY, ROUTED, OTHER
    }

    public static String svg(ComposeFile compose) {
        Map<String, Role> roles = new LinkedHashMap<>();
        LabModel model = LabModel.of(compose);
        for (ComposeFile.Service s : compose.services().values()) {
            roles.put(s.name(), role(s, model.service(s.name()).isProxy()));
        }
        List<ComposeFile.Service> proxies = byRole(compose, roles, Role.PROXY);
        List<ComposeFile.Service> routed = byRole(compose, roles, Role.ROUTED);
        List<ComposeFile.Service> others = byRole(compose, roles, Role.OTHER);
        int colClient = 20;
        int colProxy = 150;
        int colRouted = colProxy + BOX_W + 90;
        int colOther = colRouted + BOX_W + 90;
        Map<String, int[]> boxes = new LinkedHashMap<>();
        StringBuilder shapes = new StringBuilder();
        int height = Math.max(column(proxies, colProxy, "#dbeafe", "#0b6bcb", boxes, shapes),
                Math.max(column(routed, colRouted, "#dcfce7", "#15803d", boxes, shapes),
                        column(others, colOther, "#fef3c7", "#b45309", boxes, shapes)));
        int width = colOther + BOX_W + 20;
        StringBuilder lines = new StringBuilder();
        int clientY = 60;
        shapes.append(rect(colClient, clientY - 20, 90, 40, "#eef2f6", "#1d2733"))
                .append(text(colClient + 45, clientY + 5, "client", true));
        for (ComposeFile.Service p : proxies) {
            int[] b = boxes.get(p.name());
            lines.append(arrow(colClient + 90, clientY, b[0], b[1] + 20, "#1d2733", false));
            for (ComposeFile.Service r : routed) {
                int[] t = boxes.get(r.name());
                lines.append(arrow(b[0] + BOX_W, b[1] + 20, t[0], t[1] + 20, "#1d2733", false));
            }
        }
        for (ComposeFile.Service s : compose.services().values()) {
            for (String value : s.environment().values()) {
                for (ComposeFile.Service target : compose.services().values()) {
                    if (target == s || !mentions(value, target.name())) {
                        continue;
                    }
                    int[] from = boxes.get(s.name());
                    int[] to = boxes.get(target.name());
                    boolean back = roles.get(target.name()) == Role.PROXY;
                    lines.append(back ? arrow(from[0], from[1] + from[2] - 8, to[0] + BOX_W, to[1] + to[2] - 8, "#6d28d9", true)
                            : arrow(from[0] + BOX_W, from[1] + 20, to[0], to[1] + 20, "#b45309", true));
                }
            }
        }
        int h = Math.max(height, 120) + 40;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + width + " " + h
                + "\" font-family=\"system-ui, sans-serif\" font-size=\"13\">\n"
                + "  <title>" + escape(compose.project()) + ": " + escape(String.join(", ", compose.services().keySet())) + "</title>\n"
                + "  <defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n"
                + "  <rect width=\"" + width + "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n" + lines + shapes + "</svg>\n";
    }

    private static Role role(ComposeFile.Service s, boolean proxy) {
        if (proxy) {
            return Role.PROXY;
        }
        boolean routed = s.labels().keySet().stream().anyMatch(k -> k.startsWith("traefik.http."))
                || "true".equalsIgnoreCase(s.labels().get("traefik.enable"));
        return routed ? Role.ROUTED : Role.OTHER;
    }

    private static List<ComposeFile.Service> byRole(ComposeFile c, Map<String, Role> roles, Role role) {
        List<ComposeFile.Service> out = new ArrayList<>();
        for (ComposeFile.Service s : c.services().values()) {
            if (roles.get(s.name()) == role) {
                out.add(s);
            }
        }
        return out;
    }

    /** Draws a column of services, one box per service with a row per replica; returns the column's height. */
    private static int column(List<ComposeFile.Service> services, int x, String fill, String stroke, Map<String, int[]> boxes,
            StringBuilder out) {
        int y = 20;
        for (ComposeFile.Service s : services) {
            int replicas = Math.max(1, s.replicas());
            List<String> ports = new ArrayList<>();
            for (ComposeFile.Port p : s.ports()) {
                ports.add(":" + (p.hostPort() == 0 ? "?" : p.hostPort()) + " → " + p.containerPort());
            }
            int h = 34 + (replicas > 1 ? replicas * REPLICA_H : 0) + (ports.isEmpty() ? 0 : 18);
            out.append(rect(x, y, BOX_W, h, fill, stroke)).append(text(x + BOX_W / 2, y + 22, s.name()
                    + (replicas > 1 ? " ×" + replicas : ""), true));
            int ry = y + 34;
            if (replicas > 1) {
                for (int r = 1; r <= replicas; r++) {
                    out.append(rect(x + 12, ry, BOX_W - 24, REPLICA_H - 6, "#ffffff", stroke))
                            .append(text(x + BOX_W / 2, ry + 14, s.name() + "-" + r, false));
                    ry += REPLICA_H;
                }
            }
            if (!ports.isEmpty()) {
                out.append(text(x + BOX_W / 2, ry + 10, String.join("  ", ports), false));
            }
            boxes.put(s.name(), new int[] {x, y, h});
            y += h + GAP;
        }
        return y;
    }

    private static boolean mentions(String value, String service) {
        return value.matches("(?s).*(//|@)" + java.util.regex.Pattern.quote(service) + "([:/?#].*|$)");
    }

    private static String rect(int x, int y, int w, int h, String fill, String stroke) {
        return "  <rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + w + "\" height=\"" + h + "\" rx=\"8\" fill=\"" + fill
                + "\" stroke=\"" + stroke + "\"/>\n";
    }

    private static String text(int x, int y, String s, boolean bold) {
        return "  <text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"middle\"" + (bold ? " font-weight=\"700\"" : " font-size=\"11\"")
                + ">" + escape(s) + "</text>\n";
    }

    private static String arrow(int x1, int y1, int x2, int y2, String colour, boolean dashed) {
        int mid = (x1 + x2) / 2;
        return "  <path d=\"M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + (x2 - 2) + "," + y2
                + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.5\"" + (dashed ? " stroke-dasharray=\"5 4\"" : "")
                + " marker-end=\"url(#a)\"/>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

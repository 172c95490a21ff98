package dev.switchboard.lab.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a command's output shows what the docs show: each shown line, in order, appears in a line
 * of the output, once numbers and ids are made neutral ({@code 8081}, {@code 21/Nov/2026},
 * {@code 3f2a9c1b7d10} may differ) and {@code ...} stands for anything.
 */
final class OutputMatch {
    private OutputMatch() {
    }

    static boolean matches(List<String> shown, String output) {
        List<String> lines = new ArrayList<>();
        for (String l : output.split("\n")) {
            lines.add(neutral(l));
        }
        int at = 0;
        for (String expected : shown) {
            String[] parts = neutral(expected.trim()).split("\\.\\.\\.", -1);
            boolean found = false;
            while (at < lines.size() && !found) {
                found = containsInOrder(lines.get(at), parts);
                at++;
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsInOrder(String line, String[] parts) {
        int from = 0;
        for (String part : parts) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int i = line.indexOf(p, from);
            if (i < 0) {
                return false;
            }
            from = i + p.length();
        }
        return true;
    }

    /** Hex ids of 8+ digits become {@code H}, other digit runs {@code 0}, month names {@code Mon}. */
    static String neutral(String s) {
        return s.replaceAll("\\b[0-9a-f]{8,64}\\b", "H")
                .replaceAll("[0-9]+", "0")
                .replaceAll("\\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\b", "Mon");
    }
}

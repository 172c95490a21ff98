package dev.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Checks a compose {@code labels:} example. */
final class LabelSnippets {
    private LabelSnippets() {
    }

    static void check(Snippets.Snippet snippet, Object labels) {
        assertTrue(labels instanceof List<?> l && !l.isEmpty(), snippet + ": labels should be a list of key=value");
        for (Object label : (List<?>) labels) {
            String s = String.valueOf(label);
            assertTrue(s.startsWith("traefik.") && s.contains("="), snippet + ": " + s + " is not a traefik.* label");
        }
    }
}

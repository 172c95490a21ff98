package dev.switchboard.proxy.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys, flags, matchers and kinds. */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The candidate closest to {@code word} by edit distance (case-insensitive), if it is close
     * enough to be a plausible typo: at most a third of the word's length, and at least 2.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = c.startsWith(w) || w.startsWith(c) ? Math.abs(c.length() - w.length()) : distance(w, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, w.length() / 3);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** {@code : did you mean "x"?} for the closest of {@code known} to {@code name}, or an empty string. */
    public static String didYouMean(String name, Collection<String> known) {
        return closest(name, known).map(s -> ": did you mean \"" + s + "\"?").orElse("");
    }

    /** Levenshtein distance with one rolling row. */
    static int distance(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
                diagonal = above;
            }
        }
        return row[b.length()];
    }
}

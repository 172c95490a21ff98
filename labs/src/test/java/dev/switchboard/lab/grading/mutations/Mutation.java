package dev.switchboard.lab.grading.mutations;

import java.util.ArrayList;
import java.util.List;

/**
 * One realistic single-mistake submission: the lab's reference solution with one small edit (a label
 * typo, a wrong port, a key in the wrong place, a wrong network, mount, rule operator, strategy,
 * health path...), the checks that mistake must cost, and words the first hint must contain. Every
 * other check must keep its points.
 *
 * <pre>{@code
 * Mutation.of("the port label says 8080")
 *         .replace("loadbalancer.server.port=8081", "loadbalancer.server.port=8080")
 *         .loses("host-routes-to-app1", "users-from-database", "host-rule-only", "server-up")
 *         .hint("port 8080")
 * }</pre>
 *
 * @param name  what the student did, as an instructor would say it
 * @param edits the edits, applied in order to the solution's files
 * @param loses the ids of the checks that fail (in any order); all others pass
 * @param hint  words the hint of the first failed check contains
 * @param notChecked checks among {@code loses} that must end at once as "not checked", because an earlier
 *                   check found that what they need cannot happen (not by waiting for it)
 * @param rejected   for a file compose itself would refuse (a key in the wrong place): words the reason
 *                   must contain; the submission is then not run, and scores 0 with that reason
 */
public record Mutation(String name, List<Edit> edits, List<String> loses, String hint, List<String> notChecked,
        String rejected) {

    /** The compose file, for edits that name no file. */
    public static final String COMPOSE = "compose.solution.yaml";

    public Mutation {
        edits = List.copyOf(edits);
        loses = List.copyOf(loses);
        notChecked = List.copyOf(notChecked);
    }

    public static Mutation of(String name) {
        return new Mutation(name, List.of(), List.of(), null, List.of(), null);
    }

    /**
     * One text edit of one file of the lab's folder ({@code compose.solution.yaml}, or
     * {@code dynamic.solution/canary.yml}): {@code from} must occur exactly {@code count} times
     * (once, unless {@link #replaceAll}), so a table never tests an edit that silently stopped applying.
     */
    public record Edit(String file, String from, String to, boolean all, boolean regex) {
        String apply(String text) {
            if (regex) {
                String out = all ? text.replaceAll(from, to) : text.replaceFirst(from, to);
                if (out.equals(text)) {
                    throw new IllegalStateException(file + ": the pattern " + from + " changes nothing");
                }
                return out;
            }
            int count = 0;
            for (int i = text.indexOf(from); i >= 0; i = text.indexOf(from, i + from.length())) {
                count++;
            }
            if (count == 0 || count > 1 && !all) {
                throw new IllegalStateException(file + ": \"" + from + "\" occurs " + count + " times; an edit replaces "
                        + (all ? "every occurrence (at least one)" : "exactly one"));
            }
            return text.replace(from, to);
        }
    }

    /** Replaces the one occurrence of {@code from} in the compose file. */
    public Mutation replace(String from, String to) {
        return with(new Edit(COMPOSE, from, to, false, false));
    }

    /** Replaces every occurrence (at least one) of {@code from} in the compose file. */
    public Mutation replaceAll(String from, String to) {
        return with(new Edit(COMPOSE, from, to, true, false));
    }

    /** Replaces the first match of the regular expression {@code pattern} in the compose file. */
    public Mutation replaceRegex(String pattern, String replacement) {
        return with(new Edit(COMPOSE, pattern, replacement, false, true));
    }

    /** Replaces the one occurrence of {@code from} in {@code file}, a file of the lab's folder. */
    public Mutation replaceIn(String file, String from, String to) {
        return with(new Edit(file, from, to, false, false));
    }

    public Mutation loses(String... checkIds) {
        return new Mutation(name, edits, List.of(checkIds), hint, notChecked, rejected);
    }

    public Mutation hint(String words) {
        return new Mutation(name, edits, loses, words, notChecked, rejected);
    }

    /** These checks (among those lost) end at once as "not checked", saying what an earlier check saw. */
    public Mutation notChecked(String... checkIds) {
        return new Mutation(name, edits, loses, hint, List.of(checkIds), rejected);
    }

    /** The file cannot run (compose would refuse it): 0 points, with a reason that contains {@code words}. */
    public Mutation rejected(String words) {
        return new Mutation(name, edits, loses, hint, notChecked, words);
    }

    private Mutation with(Edit e) {
        List<Edit> all = new ArrayList<>(edits);
        all.add(e);
        return new Mutation(name, all, loses, hint, notChecked, rejected);
    }

    @Override
    public String toString() {
        return name;
    }
}

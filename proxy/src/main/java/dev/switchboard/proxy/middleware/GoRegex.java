package dev.switchboard.proxy.middleware;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.switchboard.proxy.config.ConfigException;

/**
 * Traefik's regular expressions and replacements are Go's: RE2 syntax and semantics (re2j, a port
 * of Go's {@code regexp}: {@code (?P<name>...)}, a {@code {} that starts no repetition is literal,
 * no look-around or back-references) and {@code $1}, {@code ${1}}, {@code ${name}} in
 * replacements (an unknown group expands to nothing, {@code $$} is a dollar), expanded here with
 * Go's rules, so that Traefik examples work unchanged.
 */
public final class GoRegex {
    private GoRegex() {
    }

    /** Compiles {@code regex}; {@link ConfigException} names the option and the problem. */
    public static Pattern compile(String option, String regex) {
        if (regex == null) {
            throw new ConfigException(option + " is missing");
        }
        try {
            return Pattern.compile(regex.trim());
        } catch (PatternSyntaxException e) {
            throw new ConfigException(option + " \"" + regex + "\" is not a valid regular expression: " + e.getMessage()
                    + " (Traefik's regular expressions are Go's RE2: no look-around, no back-references)");
        }
    }

    /** Go's {@code Regexp.ReplaceAllString}. */
    public static String replaceAll(Pattern pattern, String input, String template) {
        Matcher m = pattern.matcher(input);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int searchFrom = 0;
        int previousEnd = -1;
        while (searchFrom <= input.length() && m.find(searchFrom)) {
            boolean empty = m.start() == m.end();
            if (empty && m.start() == previousEnd) {
                searchFrom = m.start() + 1; // Go allows no empty match right after a match
                continue;
            }
            out.append(input, last, m.start());
            expand(m, template, out);
            last = m.end();
            previousEnd = m.end();
            searchFrom = empty ? m.end() + 1 : m.end();
        }
        out.append(input, last, input.length());
        return out.toString();
    }

    /** Go's {@code Regexp.Expand}: {@code $n}, {@code ${n}}, {@code $name}, {@code ${name}}, {@code $$}. */
    static void expand(Matcher m, String template, StringBuilder out) {
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char n = template.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (n == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                int j = i + 1;
                while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                    j++;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            if (name.isEmpty()) {
                out.append(c);
                i++;
                continue;
            }
            out.append(group(m, name));
            i = end;
        }
    }

    private static String group(Matcher m, String name) {
        String value = null;
        try {
            if (name.chars().allMatch(Character::isDigit)) {
                int index = Integer.parseInt(name);
                value = index <= m.groupCount() ? m.group(index) : null;
            } else {
                value = m.group(name);
            }
        } catch (IllegalArgumentException e) {
            value = null;
        }
        return value == null ? "" : value;
    }
}

package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Suggestions;
import java.util.List;
import java.util.Map;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.function.Predicate;

/**
 * {@code --providers.docker.constraints}: which containers the provider considers, by their labels.
 * Traefik's grammar: {@code Label(`name`, `value`)} (the label equals the value; a missing label
 * is the empty string) and {@code LabelRegex(`name`, `regex`)} (the regex is found in the value, as
 * Go's {@code regexp.MatchString}), combined with {@code &&}, {@code ||}, {@code !} and parentheses.
 * Arguments are in backticks or double quotes. Regular expressions are Go's (re2j).
 *
 * <p>As in Traefik v3.2, an expression that does not parse stops no one: every container is left
 * out (Traefik logs "Error matching constraints expression" for each), so {@link #lenient} keeps
 * the error to report and matches nothing; a {@code LabelRegex} whose expression does not compile
 * matches nothing, as {@code regexp.MatchString}'s error is taken as no match.
 */
public final class Constraints {
    private static final List<String> FUNCTIONS = List.of("Label", "LabelRegex");

    private final Predicate<Map<String, String>> predicate;
    private final String text;
    private final String error;

    private Constraints(String text, Predicate<Map<String, String>> predicate) {
        this(text, predicate, null);
    }

    private Constraints(String text, Predicate<Map<String, String>> predicate, String error) {
        this.text = text;
        this.predicate = predicate;
        this.error = error;
    }

    /** Parses as {@link #parse}; an expression that does not parse gives constraints that match no container. */
    public static Constraints lenient(String expression) {
        try {
            return parse(expression);
        } catch (ConfigException e) {
            return new Constraints(expression, labels -> false, e.getMessage());
        }
    }

    /** Why the expression does not parse (every container is then left out), or null. */
    public String error() {
        return error;
    }

    /** Every container matches when no constraint is set. */
    public static final Constraints NONE = new Constraints("", labels -> true);

    /** Parses an expression; {@link ConfigException} names the flag, the column and the fix. */
    public static Constraints parse(String expression) {
        if (expression == null || expression.isBlank()) {
            return NONE;
        }
        Parser p = new Parser(expression);
        Predicate<Map<String, String>> pred = p.or();
        p.space();
        if (p.pos < expression.length()) {
            throw p.error("unexpected \"" + expression.substring(p.pos) + "\": join conditions with && or ||");
        }
        return new Constraints(expression, pred);
    }

    public boolean matches(Map<String, String> labels) {
        return predicate.test(labels);
    }

    @Override
    public String toString() {
        return text;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Predicate<Map<String, String>> or() {
            Predicate<Map<String, String>> left = and();
            while (consume("||")) {
                left = left.or(and());
            }
            return left;
        }

        Predicate<Map<String, String>> and() {
            Predicate<Map<String, String>> left = unary();
            while (consume("&&")) {
                left = left.and(unary());
            }
            return left;
        }

        Predicate<Map<String, String>> unary() {
            space();
            if (consume("!")) {
                return unary().negate();
            }
            if (consume("(")) {
                Predicate<Map<String, String>> inner = or();
                if (!consume(")")) {
                    throw error("missing ')'");
                }
                return inner;
            }
            return call();
        }

        Predicate<Map<String, String>> call() {
            space();
            int start = pos;
            while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                pos++;
            }
            String name = text.substring(start, pos);
            if (name.isEmpty()) {
                throw error("expected Label(`name`, `value`) or LabelRegex(`name`, `regex`)");
            }
            if (!FUNCTIONS.contains(name)) {
                pos = start;
                String hint = Suggestions.closest(name, FUNCTIONS).map(s -> ": did you mean " + s + "?")
                        .orElse(": the functions are Label(`name`, `value`) and LabelRegex(`name`, `regex`)");
                throw error("unknown function " + name + hint);
            }
            if (!consume("(")) {
                throw error(name + " takes its arguments in parentheses: " + name + "(`label`, `value`)");
            }
            String label = string();
            if (!consume(",")) {
                throw error(name + " takes two arguments: the label name and the " + (name.equals("Label") ? "value" : "regex"));
            }
            String value = string();
            if (!consume(")")) {
                throw error("missing ')' after the arguments of " + name);
            }
            if (name.equals("Label")) {
                return labels -> value.equals(labels.getOrDefault(label, ""));
            }
            Pattern regex;
            try {
                regex = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                org.slf4j.LoggerFactory.getLogger(Constraints.class).warn("--providers.docker.constraints: LabelRegex(`{}`, `{}`) "
                        + "is not a regular expression ({}), so it matches no container, as in Traefik", label, value, e.getMessage());
                return labels -> false;
            }
            return labels -> regex.matcher(labels.getOrDefault(label, "")).find();
        }

        String string() {
            space();
            if (pos >= text.length()) {
                throw error("expected a quoted string");
            }
            char quote = text.charAt(pos);
            if (quote != '`' && quote != '"') {
                throw error("put the argument in backticks or double quotes: `traefik.enable`");
            }
            StringBuilder sb = new StringBuilder();
            int i = pos + 1;
            while (i < text.length() && text.charAt(i) != quote) {
                char c = text.charAt(i);
                if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    i++;
                    c = text.charAt(i);
                }
                sb.append(c);
                i++;
            }
            if (i >= text.length()) {
                throw error("missing closing " + quote);
            }
            pos = i + 1;
            return sb.toString();
        }

        boolean consume(String token) {
            space();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        void space() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        ConfigException error(String message) {
            return new ConfigException("--providers.docker.constraints=" + text + ": column " + (pos + 1) + ": " + message);
        }
    }
}

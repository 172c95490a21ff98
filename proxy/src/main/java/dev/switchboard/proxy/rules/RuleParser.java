package dev.switchboard.proxy.rules;

import dev.switchboard.proxy.config.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses Traefik v3 router rules: matcher calls such as {@code Host(`app1.localhost`)} combined
 * with {@code &&}, {@code ||}, {@code !} and parentheses; arguments in backticks (raw) or double
 * quotes (Go escapes). Precedence as in Go, whose parser Traefik uses: {@code !} binds tightest,
 * then {@code &&}, then {@code ||}. Errors give the column and, where a mistake is a known one
 * (Traefik v2 syntax, a missing quote), the way to write it.
 */
public final class RuleParser {
    private final String text;
    private int pos;

    private RuleParser(String text) {
        this.text = text;
    }

    /** Parses and validates {@code rule}. */
    public static Rule parse(String rule) throws RuleException {
        if (rule == null || rule.isBlank()) {
            throw new RuleException("the rule is empty: write one such as Host(`app.localhost`) or PathPrefix(`/app`)");
        }
        RuleParser parser = new RuleParser(rule);
        Rule result = parser.parseOr();
        parser.skipSpace();
        if (parser.pos < rule.length()) {
            char c = rule.charAt(parser.pos);
            if (c == '&' || c == '|') {
                throw parser.error("the operators are && and ||, each written with two characters, between two matchers");
            }
            throw parser.error("unexpected \"" + rule.substring(parser.pos) + "\": join matchers with && or ||");
        }
        return result;
    }

    private Rule parseOr() throws RuleException {
        Rule left = parseAnd();
        while (consume("||")) {
            left = new Rule.Or(left, parseAnd());
        }
        return left;
    }

    private Rule parseAnd() throws RuleException {
        Rule left = parseUnary();
        while (consume("&&")) {
            left = new Rule.And(left, parseUnary());
        }
        return left;
    }

    private Rule parseUnary() throws RuleException {
        skipSpace();
        if (consume("!")) {
            return new Rule.Not(parseUnary());
        }
        if (consume("(")) {
            Rule inner = parseOr();
            if (!consume(")")) {
                throw error("missing ')'");
            }
            return inner;
        }
        return parseCall();
    }

    private Rule parseCall() throws RuleException {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            if (pos >= text.length()) {
                throw error("the rule ends where a matcher was expected");
            }
            char c = text.charAt(pos);
            if (c == '&' || c == '|') {
                throw error("the operators are && and ||, each written with two characters, between two matchers");
            }
            throw error("expected a matcher such as Host(`...`) or PathPrefix(`/...`), found '" + c + "'");
        }
        String name = text.substring(start, pos);
        Optional<Matchers.Kind> kind = Matchers.Kind.byName(name);
        if (kind.isEmpty()) {
            String old = Matchers.OLD_SYNTAX.get(name.toLowerCase(Locale.ROOT));
            if (old != null) {
                throw errorAt(start, old);
            }
            String known = String.join(", ", Arrays.stream(Matchers.Kind.values()).map(Matchers.Kind::traefikName).toList());
            Optional<String> closest = Suggestions.closest(name,
                    Arrays.stream(Matchers.Kind.values()).map(Matchers.Kind::traefikName).toList());
            throw errorAt(start, "unknown matcher " + name
                    + closest.map(c -> ": did you mean " + c + "?").orElse(": the matchers are " + known));
        }
        skipSpace();
        if (!consume("(")) {
            throw error(name + " needs its arguments in parentheses, as " + name + "(`...`)");
        }
        List<String> args = new ArrayList<>();
        skipSpace();
        if (!consume(")")) {
            do {
                skipSpace();
                if (!args.isEmpty() && pos < text.length() && text.charAt(pos) == ')') {
                    break; // Go's call syntax allows a trailing comma: Host(`a`,)
                }
                args.add(parseString(name));
            } while (consume(","));
            if (!consume(")")) {
                throw error("missing ')' after the arguments of " + name);
            }
        }
        try {
            return new Rule.Call(kind.get(), List.copyOf(args), Matchers.build(kind.get(), args));
        } catch (RuleException e) {
            throw errorAt(start, e.getMessage());
        }
    }

    private String parseString(String matcher) throws RuleException {
        skipSpace();
        if (pos >= text.length()) {
            throw error("the rule ends inside the arguments of " + matcher);
        }
        char quote = text.charAt(pos);
        if (quote == '`') {
            int end = text.indexOf('`', pos + 1);
            if (end < 0) {
                throw error("this backtick string is never closed");
            }
            String value = text.substring(pos + 1, end);
            pos = end + 1;
            skipSpace();
            return value;
        }
        if (quote == '"') {
            StringBuilder out = new StringBuilder();
            int i = pos + 1;
            while (i < text.length() && text.charAt(i) != '"') {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    char e = text.charAt(++i);
                    switch (e) {
                        case 'a' -> out.append('\u0007');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'v' -> out.append('\u000b');
                        case '\\' -> out.append('\\');
                        case '"' -> out.append('"');
                        case 'x', 'u', 'U' -> {
                            int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                            int value = hex(i + 1, digits);
                            if (value < 0) {
                                throw errorAt(i, "\\" + e + " needs " + digits + " hexadecimal digits");
                            }
                            out.appendCodePoint(value);
                            i += digits;
                        }
                        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                            int value = i + 2 < text.length() ? octal(i, 3) : -1;
                            if (value < 0 || value > 255) {
                                throw errorAt(i, "an octal escape is three digits, \\000 to \\377");
                            }
                            out.append((char) value);
                            i += 2;
                        }
                        default -> throw errorAt(i, "unknown escape \\" + e + " in a double-quoted string: "
                                + "use backticks for regular expressions, as `" + "\\" + e + "`");
                    }
                } else {
                    out.append(c);
                }
                i++;
            }
            if (i >= text.length()) {
                throw error("this double-quoted string is never closed");
            }
            pos = i + 1;
            skipSpace();
            return out.toString();
        }
        int end = pos;
        while (end < text.length() && ",)".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        String bare = text.substring(pos, end).trim();
        throw error("the arguments of " + matcher + " must be quoted with backticks or double quotes: write "
                + matcher + "(`" + (quote == '\'' ? bare.replace("'", "") : bare) + "`)");
    }

    /** The value of {@code digits} hexadecimal digits at {@code from}, or -1. */
    private int hex(int from, int digits) {
        if (from + digits > text.length()) {
            return -1;
        }
        try {
            int v = Integer.parseUnsignedInt(text.substring(from, from + digits), 16);
            return v <= Character.MAX_CODE_POINT ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private int octal(int from, int digits) {
        try {
            return Integer.parseInt(text.substring(from, from + digits), 8);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean consume(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            if (token.equals("!") && text.startsWith("!=", pos)) {
                return false;
            }
            pos += token.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private RuleException error(String message) {
        return errorAt(pos, message);
    }

    private RuleException errorAt(int at, String message) {
        return new RuleException("rule " + text + ": column " + (at + 1) + ": " + message);
    }
}

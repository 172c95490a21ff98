package dev.switchboard.proxy.middleware;

import dev.switchboard.proxy.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The condition of a {@code circuitBreaker}, in Traefik's (vulcand/oxy's) language:
 * {@code NetworkErrorRatio()}, {@code ResponseCodeRatio(from, to, dividedFrom, dividedTo)} and
 * {@code LatencyAtQuantileMS(q)} compared with numbers by {@code < <= > >= == !=}, combined with
 * {@code &&}, {@code ||} and parentheses. Example: {@code NetworkErrorRatio() > 0.30 ||
 * ResponseCodeRatio(500, 600, 0, 600) > 0.25}. A mistake is a {@link ConfigException} naming the
 * position.
 */
final class CircuitBreakerExpression {

    /** What the functions read: the metrics of the last seconds. */
    interface Metrics {
        double networkErrorRatio();

        double responseCodeRatio(int from, int to, int dividedFrom, int dividedTo);

        double latencyAtQuantileMs(double quantile);
    }

    /** A compiled condition. */
    interface Condition {
        boolean test(Metrics m);
    }

    private interface Value {
        double eval(Metrics m);
    }

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private int pos;

    private CircuitBreakerExpression(String text) {
        this.text = text;
    }

    static Condition parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new ConfigException("expression is missing: write expression: \"NetworkErrorRatio() > 0.5\"");
        }
        CircuitBreakerExpression p = new CircuitBreakerExpression(expression);
        p.tokenize();
        Condition c = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected \"" + p.tokens.get(p.pos) + "\"");
        }
        return c;
    }

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (Character.isLetter(c)) {
                while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) {
                    i++;
                }
            } else if (Character.isDigit(c) || c == '.') {
                while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
            } else if (text.startsWith("&&", i) || text.startsWith("||", i) || text.startsWith("<=", i)
                    || text.startsWith(">=", i) || text.startsWith("==", i) || text.startsWith("!=", i)) {
                i += 2;
            } else if ("()<>,".indexOf(c) >= 0) {
                i++;
            } else {
                throw new ConfigException("expression \"" + text + "\": unexpected character '" + c + "' at position " + (i + 1));
            }
            tokens.add(text.substring(start, i));
            positions.add(start);
        }
    }

    private ConfigException error(String what) {
        String where = pos < positions.size() ? " at position " + (positions.get(pos) + 1) : " at the end";
        return new ConfigException("expression \"" + text + "\": " + what + where
                + " (example: NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25)");
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw error("the expression ends too early");
        }
        return tokens.get(pos++);
    }

    private void expect(String token) {
        String t = peek();
        if (!token.equals(t)) {
            throw error("expected \"" + token + "\"" + (t == null ? "" : " but found \"" + t + "\""));
        }
        pos++;
    }

    private Condition or() {
        Condition left = and();
        while ("||".equals(peek())) {
            pos++;
            Condition l = left;
            Condition r = and();
            left = m -> l.test(m) || r.test(m);
        }
        return left;
    }

    private Condition and() {
        Condition left = primary();
        while ("&&".equals(peek())) {
            pos++;
            Condition l = left;
            Condition r = primary();
            left = m -> l.test(m) && r.test(m);
        }
        return left;
    }

    private Condition primary() {
        if ("(".equals(peek())) {
            pos++;
            Condition inner = or();
            expect(")");
            return inner;
        }
        Value left = value();
        String op = next();
        Value right = value();
        return switch (op) {
            case "<" -> m -> left.eval(m) < right.eval(m);
            case "<=" -> m -> left.eval(m) <= right.eval(m);
            case ">" -> m -> left.eval(m) > right.eval(m);
            case ">=" -> m -> left.eval(m) >= right.eval(m);
            case "==" -> m -> left.eval(m) == right.eval(m);
            case "!=" -> m -> left.eval(m) != right.eval(m);
            default -> {
                pos--;
                throw error("expected a comparison (< <= > >= == !=) but found \"" + op + "\"");
            }
        };
    }

    private Value value() {
        String t = next();
        if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '.') {
            try {
                double v = Double.parseDouble(t);
                return m -> v;
            } catch (NumberFormatException e) {
                pos--;
                throw error("\"" + t + "\" is not a number");
            }
        }
        if (!Character.isLetter(t.charAt(0))) {
            pos--;
            throw error("expected a number or a function but found \"" + t + "\"");
        }
        expect("(");
        List<Double> args = new ArrayList<>();
        if (!")".equals(peek())) {
            args.add(number());
            while (",".equals(peek())) {
                pos++;
                args.add(number());
            }
        }
        expect(")");
        switch (t.toLowerCase(Locale.ROOT)) {
            case "networkerrorratio" -> {
                arity(t, args, 0);
                return Metrics::networkErrorRatio;
            }
            case "responsecoderatio" -> {
                arity(t, args, 4);
                int a = args.get(0).intValue();
                int b = args.get(1).intValue();
                int c = args.get(2).intValue();
                int d = args.get(3).intValue();
                return m -> m.responseCodeRatio(a, b, c, d);
            }
            case "latencyatquantilems" -> {
                arity(t, args, 1);
                double q = args.get(0);
                if (q <= 0 || q > 100) {
                    throw new ConfigException("expression \"" + text + "\": LatencyAtQuantileMS takes a quantile in (0, 100], such as 50.0");
                }
                return m -> m.latencyAtQuantileMs(q);
            }
            default -> throw new ConfigException("expression \"" + text + "\": unknown function " + t
                    + ": use NetworkErrorRatio(), ResponseCodeRatio(a, b, c, d) or LatencyAtQuantileMS(q)");
        }
    }

    private double number() {
        String t = next();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            pos--;
            throw error("expected a number but found \"" + t + "\"");
        }
    }

    private void arity(String fn, List<Double> args, int n) {
        if (args.size() != n) {
            throw new ConfigException("expression \"" + text + "\": " + fn + " takes " + n + " argument" + (n == 1 ? "" : "s")
                    + ", not " + args.size());
        }
    }
}

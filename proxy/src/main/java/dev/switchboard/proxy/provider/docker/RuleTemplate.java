package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --providers.docker.defaultRule}: the rule of a router that has none, from a Go template
 * as Traefik writes it, e.g. {@code Host(`{{ normalize .Name }}.localhost`)}. The subset compose
 * users write: fields {@code .Name} (the normalized service name), {@code .ContainerName} and
 * {@code .Labels}; pipelines with {@code |}; parentheses; string literals; and the functions
 * {@code normalize}, {@code index}, {@code lower}, {@code upper}, {@code title}, {@code trim},
 * {@code trimPrefix}, {@code trimSuffix}, {@code replace}, {@code default}, {@code printf} (sprig's
 * argument order). A template is checked at start-up, so a typo stops the proxy with the fix
 * instead of breaking every container's router later.
 */
public final class RuleTemplate {
    private static final List<String> FIELDS = List.of("Name", "ContainerName", "Labels");
    private static final List<String> FUNCTIONS = List.of("normalize", "index", "lower", "upper", "title", "trim",
            "trimPrefix", "trimSuffix", "replace", "default", "printf");

    private final String text;
    private final List<Part> parts;

    private RuleTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** What a template is evaluated against, as Traefik's Docker provider passes it. */
    public record Model(String name, String containerName, Map<String, String> labels) {
    }

    private sealed interface Part permits Text, Action {
    }

    private record Text(String text) implements Part {
    }

    private record Action(List<Command> pipeline) implements Part {
    }

    /** One command of a pipeline: a value ({@code .Name}) or a function call with arguments. */
    private record Command(String function, List<Operand> args) {
    }

    private sealed interface Operand permits Field, Literal, Nested {
    }

    /** {@code .Labels} or {@code .}: empty list for the model itself. */
    private record Field(List<String> names) implements Operand {
    }

    private record Literal(String value) implements Operand {
    }

    private record Nested(List<Command> pipeline) implements Operand {
    }

    public static RuleTemplate parse(String text) {
        return new Parser(text).parse();
    }

    /** Evaluates the template; {@link ConfigException} if a function fails (such as index on a missing map). */
    public String execute(Model model) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                out.append(t.text());
            } else if (part instanceof Action a) {
                out.append(asString(run(a.pipeline(), model)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    private Object run(List<Command> pipeline, Model model) {
        Object value = null;
        boolean first = true;
        for (Command c : pipeline) {
            List<Object> args = new ArrayList<>();
            for (Operand o : c.args()) {
                args.add(eval(o, model));
            }
            if (!first) {
                args.add(value);
            }
            value = c.function() == null ? args.get(0) : call(c.function(), args);
            first = false;
        }
        return value;
    }

    private Object eval(Operand o, Model model) {
        if (o instanceof Literal l) {
            return l.value();
        }
        if (o instanceof Nested n) {
            return run(n.pipeline(), model);
        }
        Object v = model;
        for (String name : ((Field) o).names()) {
            if (v instanceof Model m) {
                v = switch (name) {
                    case "Name" -> m.name();
                    case "ContainerName" -> m.containerName();
                    case "Labels" -> m.labels();
                    default -> throw new ConfigException("defaultRule " + text + ": can't evaluate field ." + name
                            + Suggestions.closest(name, FIELDS).map(s -> ": did you mean ." + s + "?")
                                    .orElse(": the fields are .Name, .ContainerName and .Labels"));
                };
            } else if (v instanceof Map<?, ?> map) {
                Object got = map.get(name);
                v = got == null ? "" : got;
            } else {
                throw new ConfigException("defaultRule " + text + ": ." + name + " has nothing to read from a string");
            }
        }
        return v;
    }

    private Object call(String function, List<Object> args) {
        return switch (function) {
            case "normalize" -> DockerConfigBuilder.normalize(str(args, 0));
            case "lower" -> str(args, 0).toLowerCase(Locale.ROOT);
            case "upper" -> str(args, 0).toUpperCase(Locale.ROOT);
            case "title" -> title(str(args, 0));
            case "trim" -> str(args, 0).trim();
            case "trimPrefix" -> str(args, 1).startsWith(str(args, 0)) ? str(args, 1).substring(str(args, 0).length()) : str(args, 1);
            case "trimSuffix" -> str(args, 1).endsWith(str(args, 0))
                    ? str(args, 1).substring(0, str(args, 1).length() - str(args, 0).length()) : str(args, 1);
            case "replace" -> str(args, 2).replace(str(args, 0), str(args, 1));
            case "default" -> args.size() < 2 || asString(args.get(1)).isEmpty() ? args.get(0) : args.get(1);
            case "printf" -> printf(args);
            case "index" -> {
                Object target = args.get(0);
                for (int i = 1; i < args.size(); i++) {
                    if (!(target instanceof Map<?, ?> map)) {
                        throw new ConfigException("defaultRule " + text + ": index needs a map such as .Labels");
                    }
                    Object got = map.get(asString(args.get(i)));
                    target = got == null ? "" : got;
                }
                yield target;
            }
            default -> throw new IllegalStateException(function);
        };
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            sb.append(start ? Character.toUpperCase(c) : c);
            start = !Character.isLetterOrDigit(c);
        }
        return sb.toString();
    }

    private static String printf(List<Object> args) {
        String format = asString(args.get(0));
        StringBuilder sb = new StringBuilder();
        int next = 1;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char verb = format.charAt(++i);
                if (verb == '%') {
                    sb.append('%');
                } else {
                    sb.append(next < args.size() ? asString(args.get(next++)) : "%!" + verb + "(MISSING)");
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String str(List<Object> args, int i) {
        return i < args.size() ? asString(args.get(i)) : "";
    }

    private static String asString(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Map<?, ?> map) {
            return "map" + map;
        }
        return String.valueOf(o);
    }

    /** Function arity for the start-up check: how many arguments, including a piped one. */
    private static int arity(String function) {
        return switch (function) {
            case "normalize", "lower", "upper", "title", "trim" -> 1;
            case "trimPrefix", "trimSuffix", "default" -> 2;
            case "replace" -> 3;
            default -> -1; // index, printf: variadic
        };
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        RuleTemplate parse() {
            List<Part> parts = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            while (pos < text.length()) {
                int open = text.indexOf("{{", pos);
                if (open < 0) {
                    literal.append(text, pos, text.length());
                    break;
                }
                String before = text.substring(pos, open);
                pos = open + 2;
                boolean trimLeft = text.startsWith("-", pos) && pos + 1 < text.length() && Character.isWhitespace(text.charAt(pos + 1));
                if (trimLeft) {
                    before = before.stripTrailing();
                    pos++;
                }
                literal.append(before);
                if (literal.length() > 0) {
                    parts.add(new Text(literal.toString()));
                    literal.setLength(0);
                }
                List<Command> pipeline = pipeline();
                space();
                boolean trimRight = text.startsWith("-}}", pos);
                if (trimRight) {
                    pos++;
                }
                if (!text.startsWith("}}", pos)) {
                    throw error("expected }} to close the action");
                }
                pos += 2;
                if (trimRight) {
                    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                        pos++;
                    }
                }
                parts.add(new Action(pipeline));
            }
            if (literal.length() > 0) {
                parts.add(new Text(literal.toString()));
            }
            return new RuleTemplate(text, List.copyOf(parts));
        }

        List<Command> pipeline() {
            List<Command> commands = new ArrayList<>();
            commands.add(command(false));
            while (true) {
                space();
                if (text.startsWith("|", pos) && !text.startsWith("||", pos)) {
                    pos++;
                    commands.add(command(true));
                } else {
                    return commands;
                }
            }
        }

        Command command(boolean piped) {
            space();
            String function = null;
            if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                int start = pos;
                while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                    pos++;
                }
                function = text.substring(start, pos);
                if (function.equals("if") || function.equals("range") || function.equals("with") || function.equals("end")) {
                    pos = start;
                    throw error("{{ " + function + " }} is not supported in defaultRule: use functions such as "
                            + "{{ default \"x\" .Name }}");
                }
                if (!FUNCTIONS.contains(function)) {
                    pos = start;
                    String hint = Suggestions.closest(function, FUNCTIONS).map(s -> ": did you mean " + s + "?")
                            .orElse(": the functions are " + String.join(", ", FUNCTIONS));
                    throw error("unknown function " + function + hint);
                }
            }
            List<Operand> args = new ArrayList<>();
            while (true) {
                space();
                if (pos >= text.length() || text.startsWith("}}", pos) || text.startsWith("-}}", pos)
                        || text.charAt(pos) == '|' || text.charAt(pos) == ')') {
                    break;
                }
                args.add(operand());
            }
            if (function == null) {
                if (args.size() != 1 || piped) {
                    throw error(args.isEmpty() ? "empty action: write {{ .Name }} or {{ normalize .Name }}"
                            : "a value cannot take arguments: start the action with a function, as in {{ normalize .Name }}");
                }
            } else {
                int want = arity(function);
                int got = args.size() + (piped ? 1 : 0);
                if (want >= 0 && got != want) {
                    throw error(function + " takes " + want + " argument" + (want == 1 ? "" : "s") + ", not " + got);
                }
                if (want < 0 && got < (function.equals("index") ? 2 : 1)) {
                    throw error(function.equals("index") ? "index takes a map and a key: {{ index .Labels \"com.docker.compose.service\" }}"
                            : "printf takes a format");
                }
            }
            return new Command(function, List.copyOf(args));
        }

        Operand operand() {
            char c = text.charAt(pos);
            if (c == '.') {
                List<String> names = new ArrayList<>();
                while (pos < text.length() && text.charAt(pos) == '.') {
                    pos++;
                    int start = pos;
                    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                        pos++;
                    }
                    if (start == pos) {
                        break; // "." alone: the model
                    }
                    names.add(text.substring(start, pos));
                }
                // An unknown field fails when the template runs, as Go's text/template: the provider starts,
                // and only routers that need the default rule are left out, with this error.
                return new Field(List.copyOf(names));
            }
            if (c == '"' || c == '`') {
                int i = pos + 1;
                StringBuilder sb = new StringBuilder();
                while (i < text.length() && text.charAt(i) != c) {
                    char ch = text.charAt(i);
                    if (ch == '\\' && c == '"' && i + 1 < text.length()) {
                        ch = switch (text.charAt(++i)) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> text.charAt(i);
                        };
                    }
                    sb.append(ch);
                    i++;
                }
                if (i >= text.length()) {
                    throw error("missing closing " + c);
                }
                pos = i + 1;
                return new Literal(sb.toString());
            }
            if (c == '(') {
                pos++;
                List<Command> inner = pipeline();
                space();
                if (!text.startsWith(")", pos)) {
                    throw error("missing ')'");
                }
                pos++;
                return new Nested(inner);
            }
            if (Character.isDigit(c) || c == '-') {
                int start = pos;
                pos++;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                return new Literal(text.substring(start, pos));
            }
            throw error(c == '}' ? "expected }} to close the action" : "unexpected '" + c + "'");
        }

        void space() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        ConfigException error(String message) {
            return new ConfigException("--providers.docker.defaultRule=" + text + ": column " + (pos + 1) + ": " + message);
        }
    }
}

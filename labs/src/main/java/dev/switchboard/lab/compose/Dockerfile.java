package dev.switchboard.lab.compose;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the simulated topology needs from a Dockerfile to run its image without Docker: the base
 * image, files copied in, the entrypoint and command, exposed ports and the health check. Build
 * arguments are substituted. Only the simple shape the lab images have is understood (one stage,
 * COPY of local files, an exec-form or shell-form ENTRYPOINT/CMD).
 */
public record Dockerfile(Path path, String from, Map<String, Path> copies, List<String> entrypoint, List<String> cmd,
        List<Integer> exposed, HealthTest healthcheck, Map<String, String> env) {

    /** A HEALTHCHECK instruction. */
    public record HealthTest(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
    }

    private static final Pattern ARG_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Parses {@code dockerfile}, whose build context is {@code context}, with these build arguments. */
    public static Dockerfile parse(Path context, Path dockerfile, Map<String, String> buildArgs) {
        List<String> lines;
        try {
            lines = joinContinuations(Files.readAllLines(dockerfile));
        } catch (IOException e) {
            throw new ComposeException(dockerfile + ": cannot read: " + e.getMessage());
        }
        Map<String, String> args = new LinkedHashMap<>();
        String from = null;
        Map<String, Path> copies = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<Integer> exposed = new ArrayList<>();
        HealthTest health = null;
        Map<String, String> env = new LinkedHashMap<>();
        int stages = 0;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String instruction = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String rest = space < 0 ? "" : line.substring(space + 1).trim();
            switch (instruction) {
                case "ARG" -> {
                    int eq = rest.indexOf('=');
                    String name = eq < 0 ? rest : rest.substring(0, eq);
                    String dflt = eq < 0 ? "" : unquote(rest.substring(eq + 1));
                    args.put(name, buildArgs.getOrDefault(name, dflt));
                }
                case "FROM" -> {
                    stages++;
                    from = substitute(rest.split("\\s+")[0], args);
                }
                case "COPY", "ADD" -> {
                    List<String> parts = new ArrayList<>(List.of(rest.split("\\s+")));
                    parts.removeIf(p -> p.startsWith("--"));
                    if (parts.size() >= 2) {
                        String dest = substitute(parts.get(parts.size() - 1), args);
                        for (String src : parts.subList(0, parts.size() - 1)) {
                            for (Path match : glob(context, substitute(src, args))) {
                                String target = dest.endsWith("/") ? dest + match.getFileName() : dest;
                                copies.put(target, match);
                            }
                        }
                    }
                }
                // Docker substitutes no variables here: $JAVA_OPTS of a shell-form wrapper is the container's ENV.
                case "ENTRYPOINT" -> entrypoint = command(rest);
                case "CMD" -> cmd = command(rest);
                case "EXPOSE" -> {
                    for (String p : rest.split("\\s+")) {
                        exposed.add(Integer.parseInt(p.replace("/tcp", "")));
                    }
                }
                case "ENV" -> env.putAll(envPairs(rest));
                case "HEALTHCHECK" -> health = healthcheck(rest);
                default -> {
                    // RUN, WORKDIR, USER, LABEL...: not needed to run the image's program locally
                }
            }
        }
        if (stages > 1) {
            throw new ComposeException(dockerfile + ": multi-stage Dockerfiles are not supported by the simulated topology: "
                    + "run this lab with --docker");
        }
        return new Dockerfile(dockerfile, from, copies, entrypoint, cmd, exposed, health, env);
    }

    /** The program the image runs: entrypoint followed by cmd. */
    public List<String> program() {
        List<String> p = new ArrayList<>(entrypoint);
        if (!cmd.isEmpty()) {
            p.addAll(cmd);
        }
        return p;
    }

    /** The local file an image path was copied from, or null. */
    public Path local(String containerPath) {
        Path p = copies.get(containerPath);
        if (p != null) {
            return p;
        }
        for (Map.Entry<String, Path> e : copies.entrySet()) {
            if (e.getKey().endsWith("/") && containerPath.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static HealthTest healthcheck(String rest) {
        Duration interval = Duration.ofSeconds(30);
        Duration timeout = Duration.ofSeconds(30);
        Duration start = Duration.ZERO;
        int retries = 3;
        String r = rest;
        Matcher opt = Pattern.compile("^--([a-z-]+)=(\\S+)\\s*").matcher(r);
        while (opt.find()) {
            Duration d = opt.group(1).equals("retries") ? null : dev.switchboard.proxy.config.Durations.parse(opt.group(2));
            switch (opt.group(1)) {
                case "interval" -> interval = d;
                case "timeout" -> timeout = d;
                case "start-period" -> start = d;
                case "retries" -> retries = Integer.parseInt(opt.group(2));
                default -> {
                    // start-interval and future options
                }
            }
            r = r.substring(opt.end());
            opt = Pattern.compile("^--([a-z-]+)=(\\S+)\\s*").matcher(r);
        }
        if (r.toUpperCase(Locale.ROOT).startsWith("NONE")) {
            return null;
        }
        if (!r.toUpperCase(Locale.ROOT).startsWith("CMD")) {
            return null;
        }
        String command = r.substring(3).trim();
        List<String> test = command.startsWith("[") ? prefixed("CMD", command(command)) : List.of("CMD-SHELL", command);
        return new HealthTest(test, interval, timeout, retries, start);
    }

    private static List<String> prefixed(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    /** Exec form {@code ["java", "-jar", "x"]} or shell form {@code java -jar x}. */
    static List<String> command(String text) {
        String t = text.trim();
        if (t.startsWith("[")) {
            List<String> out = new ArrayList<>();
            Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(t);
            while (m.find()) {
                out.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            return out;
        }
        return List.of("/bin/sh", "-c", t);
    }

    private static List<Path> glob(Path context, String pattern) {
        Path direct = context.resolve(pattern);
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return List.of(direct.normalize());
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + context.toAbsolutePath().normalize() + "/" + pattern);
        Path base = context.resolve(pattern.contains("/") ? pattern.substring(0, pattern.lastIndexOf('/')) : ".").normalize();
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.map(p -> p.toAbsolutePath().normalize()).filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * {@code $NAME}, {@code ${NAME}} and {@code ${NAME:-default}} replaced from {@code vars} (empty when
     * unset), as a Dockerfile's build arguments and a container's shell expand them.
     */
    public static String expand(String text, Map<String, String> vars) {
        return substitute(text, vars);
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher m = ARG_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = args.get(name);
            if ((value == null || value.isEmpty()) && m.group(2) != null) {
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code ENV A=1 B="two words"} (several pairs), or the old {@code ENV A value} form. */
    static Map<String, String> envPairs(String rest) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)").matcher(rest);
        boolean any = false;
        while (m.find()) {
            any = true;
            out.put(m.group(1), unquote(m.group(2)));
        }
        if (!any) {
            String[] kv = rest.trim().split("\\s+", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"")) ? s.substring(1, s.length() - 1) : s;
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String l = line.stripTrailing();
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
            } else {
                current.append(l);
                out.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }
}

package dev.switchboard.proxy.rules;

import dev.switchboard.proxy.ip.IpRanges;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Traefik v3's HTTP matchers, with their argument counts and validation. Behaviour follows
 * Traefik's {@code pkg/muxer/http/matcher.go}: {@code Host} is case-insensitive, ignores the port
 * and allows one leading {@code *} label; regular expressions are unanchored;
 * {@code Path}/{@code PathPrefix} compare the routing path literally and must start with {@code /}.
 */
public final class Matchers {

    /** The matchers; each accepts Traefik's spellings: as written, lower, UPPER and Title case. */
    public enum Kind {
        CLIENT_IP("ClientIP", 1, 1),
        METHOD("Method", 1, 1),
        HOST("Host", 1, 1),
        HOST_REGEXP("HostRegexp", 1, 1),
        PATH("Path", 1, 1),
        PATH_REGEXP("PathRegexp", 1, 1),
        PATH_PREFIX("PathPrefix", 1, 1),
        HEADER("Header", 2, 2),
        HEADER_REGEXP("HeaderRegexp", 2, 2),
        QUERY("Query", 1, 2),
        QUERY_REGEXP("QueryRegexp", 1, 2);

        private final String traefikName;
        private final int minArgs;
        private final int maxArgs;

        Kind(String traefikName, int minArgs, int maxArgs) {
            this.traefikName = traefikName;
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
        }

        public String traefikName() {
            return traefikName;
        }

        /** Traefik registers each matcher as written, lower case, upper case, and Title case of the lower case. */
        static Optional<Kind> byName(String name) {
            for (Kind k : values()) {
                String n = k.traefikName;
                String lower = n.toLowerCase(Locale.ROOT);
                if (name.equals(n) || name.equals(lower) || name.equals(n.toUpperCase(Locale.ROOT))
                        || name.equals(Character.toUpperCase(lower.charAt(0)) + lower.substring(1))) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** Traefik v1/v2 matcher names, with the v3 way to write them. */
    static final Map<String, String> OLD_SYNTAX = Map.of(
            "headers", "Headers is Traefik v2 syntax: write Header(`name`, `value`)",
            "headersregexp", "HeadersRegexp is Traefik v2 syntax: write HeaderRegexp(`name`, `regexp`)",
            "hostheader", "HostHeader is Traefik v2 syntax: write Host(`example.com`)",
            "methods", "Methods is Traefik v2 syntax: write Method(`GET`) || Method(`POST`)",
            "pathprefixstrip", "PathPrefixStrip is Traefik v1 syntax: use PathPrefix(`/app`) and a stripPrefix middleware",
            "pathstrip", "PathStrip is Traefik v1 syntax: use Path(`/app`) and a stripPrefix middleware",
            "pathprefixstripregex", "PathPrefixStripRegex is Traefik v1 syntax: use PathRegexp and a stripPrefixRegex middleware");

    private static final Pattern V2_PLACEHOLDER = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*:");

    private Matchers() {
    }

    static RequestMatcher build(Kind kind, List<String> args) throws RuleException {
        String name = kind.traefikName;
        if (args.size() < kind.minArgs || args.size() > kind.maxArgs) {
            String expected = kind.minArgs == kind.maxArgs ? String.valueOf(kind.minArgs) : kind.minArgs + " or " + kind.maxArgs;
            String hint = switch (kind) {
                case HOST, PATH, PATH_PREFIX, METHOD, HOST_REGEXP, PATH_REGEXP, CLIENT_IP ->
                        args.size() > 1 ? ": Traefik v3 takes one value per matcher, so combine them with ||, as "
                                + name + "(`" + args.get(0) + "`) || " + name + "(`" + args.get(1) + "`)" : "";
                default -> "";
            };
            throw new RuleException(name + " takes " + expected + " argument" + (kind.maxArgs == 1 ? "" : "s")
                    + ", got " + args.size() + hint);
        }
        for (String a : args) {
            if (a.isEmpty()) {
                throw new RuleException(name + " has an empty argument");
            }
        }
        String first = args.get(0);
        switch (kind) {
            case CLIENT_IP: {
                IpRanges ranges;
                try {
                    ranges = IpRanges.parse(List.of(first));
                } catch (IllegalArgumentException e) {
                    throw new RuleException("ClientIP: " + e.getMessage());
                }
                return req -> ranges.contains(req.clientIp());
            }
            case METHOD: {
                String method = first.toUpperCase(Locale.ROOT);
                return req -> method.equals(req.method());
            }
            case HOST:
                return host(first);
            case HOST_REGEXP: {
                if (V2_PLACEHOLDER.matcher(first).find()) {
                    // v2's {name:regex} placeholders still compile as a regex, but never match what was meant.
                    throw new RuleException("HostRegexp(`" + first + "`) looks like Traefik v2 syntax: in v3 it takes "
                            + "a plain regular expression, such as HostRegexp(`^[a-z]+\\.example\\.com$`)");
                }
                Pattern p = regex(name, first);
                return req -> p.matcher(req.host()).find();
            }
            case PATH: {
                requireSlash(name, first);
                return req -> first.equals(req.routingPath());
            }
            case PATH_PREFIX: {
                requireSlash(name, first);
                return req -> req.routingPath().startsWith(first);
            }
            case PATH_REGEXP: {
                Pattern p = regex(name, first);
                return req -> p.matcher(req.routingPath()).find();
            }
            case HEADER: {
                String value = args.get(1);
                return req -> req.headerValues(first).contains(value);
            }
            case HEADER_REGEXP: {
                Pattern p = regex(name, args.get(1));
                return req -> req.headerValues(first).stream().anyMatch(v -> p.matcher(v).find());
            }
            case QUERY: {
                if (args.size() == 1 && first.contains("=")) {
                    throw new RuleException("Query(`" + first + "`) is Traefik v2 syntax: in v3 write Query(`"
                            + first.substring(0, first.indexOf('=')) + "`, `" + first.substring(first.indexOf('=') + 1) + "`)");
                }
                String value = args.size() == 2 ? args.get(1) : "";
                return req -> {
                    List<String> values = req.queryValues(first);
                    return values != null && values.contains(value);
                };
            }
            case QUERY_REGEXP: {
                if (args.size() == 1) {
                    return build(Kind.QUERY, args);
                }
                Pattern p = regex(name, args.get(1));
                return req -> {
                    List<String> values = req.queryValues(first);
                    return values != null && values.stream().anyMatch(v -> p.matcher(v).find());
                };
            }
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    private static RequestMatcher host(String expr) throws RuleException {
        if (expr.equals("*")) {
            return req -> true;
        }
        if (!expr.chars().allMatch(c -> c < 128)) {
            throw new RuleException("invalid value \"" + expr + "\" for Host matcher, non-ASCII characters are not allowed");
        }
        if (expr.contains("/")) {
            throw new RuleException("Host(`" + expr + "`) holds a path: match paths with PathPrefix(`/...`)");
        }
        String host = expr.toLowerCase(Locale.ROOT);
        String withoutDot = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (host.startsWith("*")) {
            String suffix = host.substring(1);
            return req -> {
                String h = stripTrailingDot(req.host());
                int dot = h.indexOf('.');
                return dot > 0 && h.substring(dot).equals(suffix);
            };
        }
        return req -> {
            String h = req.host();
            return !h.isEmpty() && (h.equals(host) || h.equals(withoutDot) || stripTrailingDot(h).equals(withoutDot));
        };
    }

    private static String stripTrailingDot(String h) {
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static void requireSlash(String name, String path) throws RuleException {
        if (!path.startsWith("/")) {
            throw new RuleException(name + ": path \"" + path + "\" does not start with a '/': write " + name + "(`/" + path + "`)");
        }
    }

    private static Pattern regex(String name, String regex) throws RuleException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new RuleException(name + ": invalid regular expression `" + regex + "`: " + e.getDescription());
        }
    }
}

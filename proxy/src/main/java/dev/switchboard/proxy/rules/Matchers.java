package dev.switchboard.proxy.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.switchboard.proxy.ip.IpRanges;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traefik v3's HTTP matchers, with their argument counts and validation. Behaviour follows
 * Traefik v3.2's {@code pkg/muxer/http/matcher.go}: {@code Host} compares the host without port,
 * case-insensitively and ignoring a trailing dot, with no wildcards; {@code Host} and
 * {@code HostRegexp} refuse non-ASCII values; regular expressions are Go's (RE2, with re2j: a
 * {@code {} that starts no repetition is a literal, no look-around or back-references) and
 * unanchored; {@code Path}/{@code PathPrefix} compare the path literally and must start with
 * {@code /}. Where Traefik accepts a rule that can never match what was meant (Traefik v2
 * placeholders, a {@code *} or a path in {@code Host}), the rule works as in Traefik and a warning
 * says what to write instead.
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

    private static final Logger LOG = LoggerFactory.getLogger(Matchers.class);
    private static final java.util.regex.Pattern V2_PLACEHOLDER = java.util.regex.Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_]*:");
    /** Warnings already logged: a rule is compiled at every reload, the warning is worth one line. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private Matchers() {
    }

    private static void warnOnce(String message) {
        if (WARNED.size() < 10_000 && WARNED.add(message)) {
            LOG.warn("{}", message);
        }
    }

    /** A v2 placeholder ({@code {name:regex}}) in a v3 regexp: Go reads it as literal text, so it never matches what was meant. */
    private static void warnV2Placeholders(String name, String regex) {
        if (V2_PLACEHOLDER.matcher(regex).find()) {
            warnOnce(name + "(`" + regex + "`) looks like Traefik v2 syntax: in v3 it is a plain regular expression, "
                    + "where {name:...} is literal text that requests almost never contain (Traefik v3.2 accepts it and "
                    + "never matches); write the expression alone, such as " + name + "(`^[a-z]+\\.example\\.com$`)");
        }
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
                if (!isAscii(first)) {
                    throw new RuleException("invalid value \"" + first + "\" for HostRegexp matcher, non-ASCII characters "
                            + "are not allowed: write the host in punycode (xn--...)");
                }
                warnV2Placeholders(name, first);
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
                warnV2Placeholders(name, first);
                Pattern p = regex(name, first);
                return req -> p.matcher(req.routingPath()).find();
            }
            case HEADER: {
                String value = args.get(1);
                return req -> req.headerValues(first).contains(value);
            }
            case HEADER_REGEXP: {
                warnV2Placeholders(name, args.get(1));
                Pattern p = regex(name, args.get(1));
                return req -> req.headerValues(first).stream().anyMatch(v -> p.matcher(v).find());
            }
            case QUERY: {
                if (args.size() == 1 && first.contains("=")) {
                    warnOnce("Query(`" + first + "`) is Traefik v2 syntax: v3 reads it as a parameter named \"" + first
                            + "\", which no request has (as in Traefik v3.2, the router never matches); write Query(`"
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
                warnV2Placeholders(name, args.get(1));
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
        if (!isAscii(expr)) {
            throw new RuleException("invalid value \"" + expr + "\" for Host matcher, non-ASCII characters are not allowed: "
                    + "write the host in punycode (xn--...)");
        }
        if (expr.contains("/")) {
            warnOnce("Host(`" + expr + "`) holds a path, so it matches no request (as in Traefik): match paths with PathPrefix(`/...`)");
        } else if (expr.contains("*")) {
            warnOnce("Host(`" + expr + "`) is compared literally, as in Traefik v3, so * is no wildcard: for any subdomain write "
                    + "HostRegexp(`^[^.]+" + expr.substring(expr.indexOf('*') + 1).replace(".", "\\.") + "$`)");
        }
        String host = expr.toLowerCase(Locale.ROOT);
        String withoutDot = stripTrailingDot(host);
        return req -> {
            String h = req.host();
            return !h.isEmpty() && (h.equals(host) || h.equals(withoutDot) || stripTrailingDot(h).equals(host));
        };
    }

    /** Traefik's {@code IsASCII}: every byte below 0x80. */
    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
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
            throw new RuleException(name + ": invalid regular expression `" + regex + "`: " + e.getMessage()
                    + " (Traefik's regular expressions are Go's RE2: no look-around, no back-references)");
        }
    }
}

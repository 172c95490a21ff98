package dev.switchboard.proxy.rules;

import java.nio.charset.StandardCharsets;

/**
 * Request paths as Traefik v3.2 sees them, which is as Go's {@code net/url} parses a request
 * target: {@code URL.Path} is the fully decoded path ({@code %2F} becomes {@code /}), and
 * {@code URL.RawPath} keeps the client's encoding only when it differs from Go's default one.
 * Routing matches {@code URL.Path}; {@code stripPrefix} and {@code stripPrefixRegex} cut both; what
 * goes to the server is {@code URL.EscapedPath()}: the client's encoding when it is a valid one for
 * the path, else Go's encoding of the path (so {@code /{x}} is sent as {@code /%7Bx%7D}).
 *
 * <p>Go strings are bytes: inside this class a decoded path is a "byte string", one char per byte
 * (ISO-8859-1), so that invalid UTF-8 survives as Go keeps it. Methods that return text for
 * matching decode it as UTF-8.
 */
public final class GoUrlPaths {
    private static final String HEX = "0123456789ABCDEF";

    private GoUrlPaths() {
    }

    /** {@code URL.Path}: the request path with every escape decoded, as the v3.2 matchers see it. */
    public static String decodedPath(String raw) {
        String decoded = unescape(bytes(raw));
        return decoded == null ? raw : text(decoded);
    }

    /**
     * Traefik v3.4.1's routing path ({@code withRoutingPath}, "Use routing path in v3 matchers"):
     * escapes of unreserved characters are decoded, those of reserved characters ({@code %2F},
     * {@code %3F}, {@code %25}...) stay, so {@code /a%2Fb} no longer matches {@code PathPrefix(`/a/b`)}.
     */
    public static String routingPath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int value = c == '%' && i + 2 < raw.length() ? hexValue(raw.charAt(i + 1), raw.charAt(i + 2)) : -1;
            if (value >= 0) {
                if (":/?#[]@!$&'()*+,;=%".indexOf(value) >= 0) {
                    flush(pending, out);
                    out.append(raw, i, i + 3);
                } else {
                    pending.write(value);
                }
                i += 2;
            } else {
                flush(pending, out);
                out.append(c);
            }
        }
        flush(pending, out);
        return out.toString();
    }

    private static void flush(java.io.ByteArrayOutputStream pending, StringBuilder out) {
        if (pending.size() > 0) {
            out.append(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
    }

    /** The path Traefik sends to the server for this request path: {@code URL.EscapedPath()}, {@code /} when empty. */
    public static String forwardedPath(String raw) {
        String rawBytes = bytes(raw);
        String path = unescape(rawBytes);
        if (path == null) {
            return raw;
        }
        // [ and ] are valid in Go's encoding of a path but not in a java.net.URI path: send them escaped.
        return requestUri(escapedPath(path, rawPathOf(path, rawBytes))).replace("[", "%5B").replace("]", "%5D");
    }

    /**
     * {@code stripPrefix} on a request path: null when the decoded path does not start with
     * {@code prefix}; else the path to forward, with the prefix cut from the decoded path and,
     * where the client's encoding is kept, from that encoding too (both only when they start with
     * it, as Traefik v3.2 does).
     */
    public static String stripPrefix(String raw, String prefix) {
        String rawBytes = bytes(raw);
        String path = unescape(rawBytes);
        String p = bytes(prefix);
        if (path == null || !path.startsWith(p)) {
            return null;
        }
        String rawPath = rawPathOf(path, rawBytes);
        String newPath = ensureLeadingSlash(path.substring(p.length()));
        String newRaw = rawPath.isEmpty() ? "" : rawPath.startsWith(p) ? ensureLeadingSlash(rawPath.substring(p.length())) : rawPath;
        return requestUri(escapedPath(newPath, newRaw));
    }

    /**
     * {@code stripPrefixRegex} on a request path, once the expression matched {@code prefix} (text)
     * at the start of the decoded path: Traefik v3.2 removes it from the decoded path and the same
     * number of bytes from the client's encoding.
     */
    public static String stripRegexPrefix(String raw, String prefix) {
        String rawBytes = bytes(raw);
        String path = unescape(rawBytes);
        String p = bytes(prefix);
        if (path == null || !path.startsWith(p)) {
            return null;
        }
        String rawPath = rawPathOf(path, rawBytes);
        String newPath = ensureLeadingSlash(path.substring(p.length()));
        String newRaw = rawPath.isEmpty() ? "" : ensureLeadingSlash(rawPath.substring(Math.min(p.length(), rawPath.length())));
        return requestUri(escapedPath(newPath, newRaw));
    }

    /**
     * The query as Traefik v3.2's {@code Query} matchers read it: {@code http.AllowQuerySemicolons}
     * turns {@code ;} into {@code &}, then Go's {@code url.ParseQuery} splits on {@code &}, decodes
     * {@code +} and escapes, and skips a pair whose escapes are malformed (the others still count).
     */
    public static java.util.Map<String, java.util.List<String>> parseQuery(String rawQuery) {
        java.util.Map<String, java.util.List<String>> values = new java.util.LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.replace(';', '&').split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = queryUnescape(eq < 0 ? pair : pair.substring(0, eq));
            String value = queryUnescape(eq < 0 ? "" : pair.substring(eq + 1));
            if (key != null && value != null) {
                values.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
            }
        }
        return values;
    }

    /**
     * The query Traefik v3.2 sends to the server: the client's, with {@code ;} as {@code &} (its
     * director undoes Go's semicolon split that way). Characters a {@link java.net.URI} cannot hold
     * ({@code {}, {@code |}, a {@code %} that starts no escape...) are percent-encoded, where Go
     * would send them raw, so that such a query is forwarded rather than failing.
     */
    public static String forwardedQuery(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        String q = rawQuery.replace(';', '&');
        return percentEncode(q, i -> {
            char c = q.charAt(i);
            return c <= 0x20 || c == 0x7f || "\"<>\\^`{|}#".indexOf(c) >= 0
                    || c == '%' && (i + 2 >= q.length() || hexValue(q.charAt(i + 1), q.charAt(i + 2)) < 0);
        });
    }

    /** {@code s} with each char at an index {@code encode} accepts written as {@code %XX} (chars below 0x100). */
    private static String percentEncode(String s, java.util.function.IntPredicate encode) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (encode.test(i)) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append('%').append(HEX.charAt(c >> 4 & 0xF)).append(HEX.charAt(c & 0xF));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static String queryUnescape(String s) {
        String decoded = unescape(bytes(s).replace('+', ' '));
        return decoded == null ? null : text(decoded);
    }

    /** Go's {@code URL.RequestURI()} for a path: {@code /} when it is empty. */
    private static String requestUri(String escaped) {
        return escaped.isEmpty() ? "/" : text(escaped);
    }

    /** {@code setPath}: the raw path is kept only when it is not Go's own encoding of the path. */
    private static String rawPathOf(String path, String rawBytes) {
        return escape(path).equals(rawBytes) ? "" : rawBytes;
    }

    /** Go's {@code URL.EscapedPath()}. */
    static String escapedPath(String path, String rawPath) {
        if (!rawPath.isEmpty() && validEncoded(rawPath)) {
            String p = unescape(rawPath);
            if (path.equals(p)) {
                return rawPath;
            }
        }
        if (path.equals("*")) {
            return "*";
        }
        return escape(path);
    }

    private static String ensureLeadingSlash(String s) {
        return s.isEmpty() || s.charAt(0) == '/' ? s : "/" + s;
    }

    /** Go's {@code unescape(s, encodePath)} on a byte string; null when an escape is malformed. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int v = hexValue(s.charAt(i + 1), s.charAt(i + 2));
                if (v < 0) {
                    return null;
                }
                out.append((char) v);
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Go's {@code escape(s, encodePath)} on a byte string. */
    static String escape(String s) {
        return percentEncode(s, i -> shouldEscape(s.charAt(i)));
    }

    /** Go's {@code shouldEscape(c, encodePath)}: all but unreserved characters and {@code $&+,/:;=@}. */
    private static boolean shouldEscape(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return false;
        }
        return "-_.~$&+,/:;=@".indexOf(c) < 0;
    }

    /** Go's {@code validEncoded(s, encodePath)}: only characters a path may hold unescaped, and escapes. */
    static boolean validEncoded(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("!$&'()*+,;=:@[]%".indexOf(c) < 0 && shouldEscape(c)) {
                return false;
            }
        }
        return true;
    }

    private static int hexValue(char a, char b) {
        int hi = a < 0x80 ? Character.digit(a, 16) : -1;
        int lo = b < 0x80 ? Character.digit(b, 16) : -1;
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    /** A Java string as Go's bytes: its UTF-8 encoding, one char per byte. */
    private static String bytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return s;
    }

    /** A byte string read as UTF-8 text (invalid sequences become U+FFFD). */
    private static String text(String byteString) {
        for (int i = 0; i < byteString.length(); i++) {
            if (byteString.charAt(i) >= 0x80) {
                return new String(byteString.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return byteString;
    }
}

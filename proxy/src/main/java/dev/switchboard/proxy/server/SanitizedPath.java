package dev.switchboard.proxy.server;

import dev.switchboard.proxy.rules.GoUrlPaths;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Traefik's {@code entryPoints.<name>.http.sanitizePath} (added in Traefik v3.3.6 and v2.11.23, the
 * fix of CVE-2025-32431; on by default from those versions): before routing, the request path is
 * cleaned as Go's {@code URL.JoinPath()} cleans it, on the escaped path, so that rules see, and
 * servers get, the path a server would resolve. {@code /public/../admin} becomes {@code /admin}
 * and meets the {@code PathPrefix(`/admin`)} router, {@code /./admin} and {@code //admin} too.
 * Encoded dots ({@code %2e%2e}) and encoded slashes are not path separators there and stay as
 * they are. Traefik v3.2 has no such cleaning: its routers match the path as it came.
 */
final class SanitizedPath {
    private SanitizedPath() {
    }

    /**
     * The cleaned escaped path for request path {@code raw} (as it came, percent-encoded), or
     * {@code raw} itself when there is nothing to clean.
     */
    static String of(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return raw; // "*", an authority: Go's JoinPath leaves them as they are
        }
        String escaped = GoUrlPaths.forwardedPath(raw);
        String cleaned = clean(escaped);
        if (escaped.endsWith("/") && !cleaned.endsWith("/")) {
            cleaned += "/"; // JoinPath keeps a final slash
        }
        return cleaned.equals(escaped) ? raw : cleaned;
    }

    /** Go's {@code path.Clean} of a rooted path: one slash at a time, no {@code .} segments, each {@code ..} eats the one before. */
    static String clean(String path) {
        Deque<String> kept = new ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                kept.pollLast(); // at the root, .. stays at the root
                continue;
            }
            kept.addLast(segment);
        }
        return "/" + String.join("/", kept);
    }
}

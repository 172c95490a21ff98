package dev.switchboard.proxy.service;

import dev.switchboard.proxy.config.dynamic.Service;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Sticky sessions by cookie, as Traefik v3 does them ({@code pkg/server/service/loadbalancer/sticky.go}):
 * the cookie's value names the target (a server URL, or a child service of a weighted service) by
 * the first 16 hex digits of its SHA-256, so the cookie does not reveal internal addresses. Values
 * older Traefik versions wrote (the raw URL, its FNV-64 hash, the FNV-64 of that) are still
 * honoured and rewritten. A cookie naming a target that is unknown or not available is ignored:
 * the balancer picks again and a new cookie is set.
 *
 * <p>Without a {@code name}, the name is derived from the service name like Traefik's
 * {@code cookie.GenerateName}: {@code "_"} and the first five hex digits of
 * SHA-1("_TRAEFIK_BACKEND_" + service); a given name is sanitised to RFC 2616 token characters.
 *
 * @param <T> what the cookie points at
 */
public final class StickyCookie<T> {
    private final String name;
    private final String attributes;
    private final Map<String, T> byValue = new HashMap<>();
    private final Map<String, T> byCompatibilityValue = new HashMap<>();

    /** A sticky cookie for {@code service} over {@code targets}, keyed by the name the value hashes (URL as written, or child name). */
    public StickyCookie(Service.Cookie config, String service, Map<String, T> targets) {
        this.name = config.name() == null || config.name().isBlank() ? generateName(service) : sanitizeName(config.name());
        this.attributes = attributes(config);
        targets.forEach((key, target) -> {
            byValue.put(valueOf(key), target);
            byCompatibilityValue.put(key, target);
            String fnv = fnv64(key);
            byCompatibilityValue.put(fnv, target);
            byCompatibilityValue.put(fnv64(fnv), target);
        });
    }

    /** The cookie name. */
    public String name() {
        return name;
    }

    /** What a request's cookie points at: the target, and whether the cookie must be rewritten. */
    public record Match<T>(T target, boolean rewrite) {
    }

    /** The target the request's cookie names, or null if there is no cookie or it names nothing known. */
    public Match<T> match(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (!cookie.getName().equals(name)) {
                continue;
            }
            T target = byValue.get(cookie.getValue());
            if (target != null) {
                return new Match<>(target, false);
            }
            target = byCompatibilityValue.get(cookie.getValue());
            if (target != null) {
                return new Match<>(target, true);
            }
        }
        return null;
    }

    /** Adds a Set-Cookie naming {@code key} to the response. */
    public void write(Response response, String key) {
        response.getHeaders().add(HttpHeader.SET_COOKIE, setCookie(key));
    }

    /** The Set-Cookie header value naming {@code key}, with the configured attributes. */
    public String setCookie(String key) {
        return name + "=" + valueOf(key) + attributes;
    }

    /** The cookie value for a target key: 16 hex digits of its SHA-256, as Traefik v3. */
    public static String valueOf(String key) {
        return HexFormat.of().formatHex(digest("SHA-256", key)).substring(0, 16);
    }

    /** Traefik's {@code cookie.GenerateName}: {@code _} and 5 hex digits of SHA-1 over the service name. */
    public static String generateName(String service) {
        return ("_" + HexFormat.of().formatHex(digest("SHA-1", "_TRAEFIK_BACKEND_" + service))).substring(0, 6);
    }

    /** Traefik's {@code sanitizeName}: characters outside RFC 2616 tokens become {@code _}. */
    static String sanitizeName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            boolean token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^`|~".indexOf(c) >= 0;
            out.append(token ? c : '_');
        }
        return out.toString();
    }

    /** The attributes in the order Go's {@code http.Cookie.String} writes them. */
    private static String attributes(Service.Cookie c) {
        StringBuilder out = new StringBuilder();
        if (c.path() != null && !c.path().isEmpty()) {
            out.append("; Path=").append(c.path());
        }
        if (c.domain() != null && !c.domain().isBlank()) {
            String d = c.domain().trim();
            out.append("; Domain=").append(d.startsWith(".") ? d.substring(1) : d);
        }
        if (c.maxAge() != null && c.maxAge() > 0) {
            out.append("; Max-Age=").append(c.maxAge());
        } else if (c.maxAge() != null && c.maxAge() < 0) {
            out.append("; Max-Age=0");
        }
        if (c.httpOnly()) {
            out.append("; HttpOnly");
        }
        if (c.secure()) {
            out.append("; Secure");
        }
        String sameSite = sameSite(c.sameSite());
        if (sameSite != null) {
            out.append("; SameSite=").append(sameSite);
        }
        return out.toString();
    }

    /** {@code none}, {@code lax}, {@code strict} in any case; anything else leaves SameSite out (Go's default mode). */
    static String sameSite(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> "None";
            case "lax" -> "Lax";
            case "strict" -> "Strict";
            default -> null;
        };
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    /** Go's {@code hash/fnv.New64} (FNV-1, not 1a) in lower-case hex, as old Traefik cookies hold. */
    static String fnv64(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h *= 0x100000001b3L;
            h ^= b & 0xff;
        }
        return Long.toUnsignedString(h, 16);
    }
}

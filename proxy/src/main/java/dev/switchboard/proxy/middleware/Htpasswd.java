package dev.switchboard.proxy.middleware;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.switchboard.proxy.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * Users in htpasswd form ({@code user:hash}), read and checked as Traefik v3.2 does
 * ({@code pkg/middlewares/auth/auth.go} and the go-http-auth fork it uses):
 *
 * <ul>
 *   <li>an entry without exactly one {@code :} is an error (the middleware cannot be built);
 *   <li>the hash decides the check: {@code {SHA}} is SHA-1, {@code $2a$}, {@code $2b$}, {@code $2x$}
 *       and {@code $2y$} are bcrypt, and anything else is read as MD5-crypt {@code $magic$salt$...}
 *       ({@code $apr1$} from {@code htpasswd -m}, {@code $1$} from {@code openssl passwd -1});
 *   <li>an entry whose hash is none of these (a plain-text password, SHA-crypt {@code $5$}/{@code $6$},
 *       DES crypt) is accepted and refuses every password: the router stays closed, it never falls
 *       open. Switchboard also warns about it when the configuration loads.
 *   <li>no users at all is not an error either: every request gets 401.
 * </ul>
 */
final class Htpasswd {
    /** As Go's bcrypt: a password longer than 72 bytes is checked on its first 72, never refused outright. */
    private static final BCrypt.Verifyer BCRYPT_CHECK = BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.none());
    private static final Pattern MD5_SALT = Pattern.compile("[./0-9A-Za-z]{1,8}");

    private final Map<String, String> users;

    private Htpasswd(Map<String, String> users) {
        this.users = users;
    }

    /** Lines of {@code usersFile} (trimmed; blank lines and {@code #} comments skipped), then {@code users}. */
    static Htpasswd load(String usersFile, List<String> users) {
        return load(usersFile, users, warning -> { });
    }

    /** As {@link #load(String, List)}; {@code warn} hears about entries that can never log in. */
    static Htpasswd load(String usersFile, List<String> users, Consumer<String> warn) {
        List<String> lines = new ArrayList<>();
        if (usersFile != null && !usersFile.isEmpty()) {
            Path file = Path.of(usersFile);
            try {
                for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
                    String t = line.trim();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        lines.add(t);
                    }
                }
            } catch (IOException e) {
                throw new ConfigException("usersFile " + usersFile + " cannot be read (" + e.getClass().getSimpleName()
                        + "): give the path of an htpasswd file as the proxy sees it");
            }
        }
        lines.addAll(users);
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.split(":", -1);
            if (parts.length != 2) {
                throw new ConfigException("user \"" + line + "\" is not of the form name:hash (Traefik: error parsing BasicUser);"
                        + " make one with: htpasswd -nbB name password");
            }
            if (kind(parts[1]) == Kind.NONE) {
                warn.accept("user \"" + parts[0] + "\" can never log in: its password is not an htpasswd hash "
                        + "(bcrypt $2y$, apr1 $apr1$ or SHA1 {SHA}), and a plain-text password matches nothing, as in Traefik; "
                        + "make a hash with: htpasswd -nbB " + parts[0] + " password");
            }
            map.put(parts[0], parts[1]); // a later entry for the same name wins, as in Traefik's map
        }
        return new Htpasswd(map);
    }

    /** Whether {@code password} is {@code user}'s. An unknown user costs a check too (no timing oracle). */
    boolean check(String user, String password) {
        String hash = users.get(user);
        if (hash == null) {
            if (!users.isEmpty()) {
                matches(password, users.values().iterator().next());
            }
            return false;
        }
        return matches(password, hash);
    }

    private enum Kind { SHA, BCRYPT, MD5_CRYPT, NONE }

    private static Kind kind(String hash) {
        if (hash.startsWith("{SHA}")) {
            return Kind.SHA;
        }
        if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2x$") || hash.startsWith("$2y$")) {
            return Kind.BCRYPT;
        }
        String[] parts = hash.split("\\$", 4);
        if (parts.length == 4 && parts[0].isEmpty() && (parts[1].equals("1") || parts[1].equals("apr1"))
                && MD5_SALT.matcher(parts[2]).matches()) {
            return Kind.MD5_CRYPT;
        }
        return Kind.NONE;
    }

    /**
     * Whether {@code password} matches {@code hash}. Never throws: a malformed hash is simply no match.
     */
    static boolean matches(String password, String hash) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        try {
            switch (kind(hash)) {
                case SHA:
                    return MessageDigest.isEqual(hash.substring(5).getBytes(StandardCharsets.UTF_8),
                            java.util.Base64.getEncoder().encode(DigestUtils.sha1(pw)));
                case BCRYPT:
                    return BCRYPT_CHECK.verify(pw, hash.getBytes(StandardCharsets.UTF_8)).verified;
                case MD5_CRYPT:
                    String computed = hash.startsWith("$apr1$") ? Md5Crypt.apr1Crypt(pw, hash) : Md5Crypt.md5Crypt(pw, hash);
                    return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
                default:
                    return false;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }
}

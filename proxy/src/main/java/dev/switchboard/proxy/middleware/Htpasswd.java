package dev.switchboard.proxy.middleware;

import at.favre.lib.crypto.bcrypt.BCrypt;
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
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;

/**
 * Users in htpasswd form ({@code user:hash}), as {@code htpasswd} writes them and Traefik reads them:
 * bcrypt ({@code $2y$}, {@code $2a$}, {@code $2b$}), Apache MD5 ({@code $apr1$}), SHA1
 * ({@code {SHA}}), and also MD5-crypt ({@code $1$}) and SHA-crypt ({@code $5$}, {@code $6$}).
 * Traefik accepts a line whose hash it cannot read and then refuses every password; Switchboard
 * says so at load time instead, since a plain-text password there is a common mistake.
 */
final class Htpasswd {
    private final Map<String, String> users;

    private Htpasswd(Map<String, String> users) {
        this.users = users;
    }

    /** Lines of {@code usersFile} (blank lines and {@code #} comments skipped), then {@code users}. */
    static Htpasswd load(String usersFile, List<String> users) {
        List<String> lines = new ArrayList<>();
        if (usersFile != null && !usersFile.isEmpty()) {
            Path file = Path.of(usersFile);
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
            if (parts.length != 2 || parts[0].isEmpty()) {
                throw new ConfigException("user \"" + line + "\" is not of the form name:hash (make one with: htpasswd -nbB name password)");
            }
            if (!known(parts[1])) {
                throw new ConfigException("user \"" + parts[0] + "\": the password is not an htpasswd hash "
                        + "(bcrypt $2y$, apr1 $apr1$ or SHA1 {SHA}); make one with: htpasswd -nbB " + parts[0] + " password");
            }
            map.put(parts[0], parts[1]);
        }
        if (map.isEmpty()) {
            throw new ConfigException("no users found: give users: [\"name:hash\"] or a usersFile");
        }
        return new Htpasswd(map);
    }

    private static boolean known(String hash) {
        return hash.startsWith("$2y$") || hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$apr1$")
                || hash.startsWith("{SHA}") || hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$");
    }

    /** Whether {@code password} is {@code user}'s. An unknown user costs a check too (no timing oracle). */
    boolean check(String user, String password) {
        String hash = users.get(user);
        if (hash == null) {
            matches(password, users.values().iterator().next());
            return false;
        }
        return matches(password, hash);
    }

    static boolean matches(String password, String hash) {
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        String computed;
        if (hash.startsWith("$2")) {
            return BCrypt.verifyer().verify(pw, hash.getBytes(StandardCharsets.UTF_8)).verified;
        } else if (hash.startsWith("$apr1$")) {
            computed = Md5Crypt.apr1Crypt(pw, hash);
        } else if (hash.startsWith("$1$")) {
            computed = Md5Crypt.md5Crypt(pw, hash);
        } else if (hash.startsWith("$5$")) {
            computed = Sha2Crypt.sha256Crypt(pw, hash);
        } else if (hash.startsWith("$6$")) {
            computed = Sha2Crypt.sha512Crypt(pw, hash);
        } else if (hash.startsWith("{SHA}")) {
            computed = "{SHA}" + java.util.Base64.getEncoder().encodeToString(DigestUtils.sha1(pw));
        } else {
            return false;
        }
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
    }
}

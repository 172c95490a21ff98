package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hashes made by other tools (openssl passwd, jBCrypt's test vectors, the docs) check as they do in
 * Traefik v3.2 (go-http-auth's {@code CheckSecret}).
 */
class HtpasswdTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", "a", true),
                Arguments.of("$2y$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", "a", true),
                Arguments.of("$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", "b", false),
                Arguments.of("$apr1$sb8C3RPd$nfqOMd7fnN/f.L2LheUyo.", "lab", true), // docs/reference/middlewares.md
                Arguments.of("$apr1$sb8C3RPd$nfqOMd7fnN/f.L2LheUyo.", "Lab", false),
                Arguments.of("$1$abcdefgh$cHJi5PXp/ki/ktXzqlk6I1", "secret", true),
                // SHA-crypt: go-http-auth reads any other $x$ hash as MD5-crypt, so Traefik refuses every password
                Arguments.of("$5$abcdefgh$gruCpC7VkOTspMQTTSAR8mtlO9Upms.fwqE5y16JVM.", "secret", false),
                Arguments.of("$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.",
                        "secret", false),
                // a plain-text password, or nothing, matches no password at all
                Arguments.of("secret", "secret", false),
                Arguments.of("", "", false),
                // malformed hashes are no match, never an exception
                Arguments.of("$2y$06$short", "a", false),
                Arguments.of("$apr1$bad salt!$x", "a", false),
                Arguments.of("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secret", true),
                Arguments.of("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secret ", false));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("vectors")
    void checks(String hash, String password, boolean expected) {
        assertEquals(expected, Htpasswd.matches(password, hash));
    }

    /** Go's bcrypt reads the first 72 bytes of a longer password; a long password is never an error. */
    @org.junit.jupiter.api.Test
    void bcryptChecksTheFirst72BytesOfALongPassword() {
        String first72 = "a".repeat(72);
        String hash = new String(at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y,
                at.favre.lib.crypto.bcrypt.LongPasswordStrategies.none()).hash(4, first72.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(true, Htpasswd.matches(first72 + "bbbbbbbb", hash));
        assertEquals(false, Htpasswd.matches("a".repeat(71), hash));
    }
}

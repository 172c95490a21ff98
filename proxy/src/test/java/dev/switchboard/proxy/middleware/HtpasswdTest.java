package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hashes made by other tools (openssl passwd, jBCrypt's test vectors, the docs) check as they should. */
class HtpasswdTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", "a", true),
                Arguments.of("$2y$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", "a", true),
                Arguments.of("$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe", "b", false),
                Arguments.of("$apr1$sb8C3RPd$nfqOMd7fnN/f.L2LheUyo.", "lab", true), // docs/reference/middlewares.md
                Arguments.of("$apr1$sb8C3RPd$nfqOMd7fnN/f.L2LheUyo.", "Lab", false),
                Arguments.of("$1$abcdefgh$cHJi5PXp/ki/ktXzqlk6I1", "secret", true),
                Arguments.of("$5$abcdefgh$gruCpC7VkOTspMQTTSAR8mtlO9Upms.fwqE5y16JVM.", "secret", true),
                Arguments.of("$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.",
                        "secret", true),
                Arguments.of("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secret", true),
                Arguments.of("{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=", "secret ", false));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("vectors")
    void checks(String hash, String password, boolean expected) {
        assertEquals(expected, Htpasswd.matches(password, hash));
    }
}

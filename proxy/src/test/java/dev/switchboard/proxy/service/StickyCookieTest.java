package dev.switchboard.proxy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.proxy.config.dynamic.Service;
import org.junit.jupiter.api.Test;

/**
 * Cookie names and values as Traefik computes them. The expected values were computed
 * independently (Python's hashlib and a hand-written FNV-1), not by this code.
 */
class StickyCookieTest {

    @Test
    void defaultNameIsDerivedFromTheServiceNameAsTraefikDoes() {
        assertEquals("_38d5f", StickyCookie.generateName("app1@docker"));
        assertEquals("_0bf23", StickyCookie.generateName("app1@file"));
    }

    @Test
    void valueIsTheFirst16HexDigitsOfTheSha256OfTheServerUrl() {
        assertEquals("60e0fece036e7c07", StickyCookie.valueOf("http://app1-replica-1:8080"));
    }

    @Test
    void oldTraefikValuesAreFnv64Hashes() {
        assertEquals("5a1cc52f3f46040d", StickyCookie.fnv64("http://127.0.0.1:8081"));
        assertEquals("7d49894b220072d2", StickyCookie.fnv64("5a1cc52f3f46040d"));
    }

    @Test
    void namesAreSanitisedAndSameSiteIsOneOfThree() {
        assertEquals("my_session_", StickyCookie.sanitizeName("my session;"));
        assertEquals("Lax", StickyCookie.sameSite("LAX"));
        assertEquals("None", StickyCookie.sameSite("none"));
        assertEquals("Strict", StickyCookie.sameSite("strict"));
        assertNull(StickyCookie.sameSite("sometimes"));
    }

    @Test
    void aNegativeMaxAgeExpiresTheCookieAsGoWritesIt() {
        StickyCookie<String> c = new StickyCookie<>(new Service.Cookie("s", null, null, null, -1, null, null), "svc@file",
                java.util.Map.of("http://a:80", "a"));
        assertEquals("s", c.name());
        assertEquals("s=" + StickyCookie.valueOf("http://a:80") + "; Path=/; Max-Age=0", c.setCookie("http://a:80"));
    }
}

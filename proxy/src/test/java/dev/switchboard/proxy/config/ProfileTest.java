package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour profile: {@code traefik} by default, {@code switchboard} from the environment
 * variable or the static option (flag or file), and each improvement on or off by its own option.
 */
class ProfileTest {

    private static StaticConfig load(String environmentProfile, String... flags) {
        return StaticConfigLoader.load(List.of(flags), environmentProfile);
    }

    @Test
    void theDefaultIsTraefikWithEveryImprovementOff() {
        Behaviour b = load(null, "--entrypoints.web.address=:80").behaviour();
        assertEquals(Behaviour.Profile.TRAEFIK, b.profile());
        assertEquals(EnumSet.noneOf(Improvement.class), b.improvements());
        assertEquals("traefik", b.describe());
    }

    @Test
    void theEnvironmentVariableChoosesTheProfileWithoutAnyFlag() {
        Behaviour b = load("switchboard").behaviour();
        assertEquals(Behaviour.Profile.SWITCHBOARD, b.profile());
        assertEquals(EnumSet.allOf(Improvement.class), b.improvements(), "the switchboard profile turns on every improvement");
        assertEquals(Behaviour.Profile.TRAEFIK, load(" Traefik ").behaviour().profile(), "any case, spaces ignored");
    }

    @Test
    void theStaticOptionWinsOverTheEnvironment() {
        assertEquals(Behaviour.Profile.TRAEFIK, load("switchboard", "--switchboard.profile=traefik").behaviour().profile());
        assertEquals(Behaviour.Profile.SWITCHBOARD, load(null, "--switchboard.profile=switchboard").behaviour().profile());
    }

    @Test
    void theProfileAndSwitchesComeFromTheConfigurationFileToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("traefik.yml");
        Files.writeString(file, """
                entryPoints:
                  web:
                    address: ":80"
                switchboard:
                  profile: switchboard
                  autoRetry: false
                """);
        Behaviour b = load(null, "--configFile=" + file).behaviour();
        assertEquals(Behaviour.Profile.SWITCHBOARD, b.profile());
        assertFalse(b.on(Improvement.AUTO_RETRY));
        assertTrue(b.on(Improvement.PASSIVE_REFUSED));
        assertEquals("switchboard - autoRetry", b.describe());
    }

    @Test
    void eachImprovementIsItsOwnOption() {
        for (Improvement i : Improvement.values()) {
            Behaviour on = load(null, "--switchboard." + i.option() + "=true").behaviour();
            assertEquals(EnumSet.of(i), on.improvements(), i.option());
            assertEquals("traefik + " + i.option(), on.describe());
            Behaviour off = load("switchboard", "--switchboard." + i.option() + "=false").behaviour();
            assertEquals(EnumSet.complementOf(EnumSet.of(i)), off.improvements(), i.option());
        }
        assertTrue(load(null, "--switchboard.AUTORETRY").behaviour().on(Improvement.AUTO_RETRY),
                "option names in any case; a flag without a value is true");
    }

    @Test
    void providersThrottleDurationIsTraefiksTwoSecondsUnlessQuickReloadsOrGiven() {
        assertEquals(Duration.ofSeconds(2), load(null).providersThrottleDuration());
        assertEquals(Duration.ofMillis(100), load("switchboard").providersThrottleDuration());
        assertEquals(Duration.ofMillis(100), load(null, "--switchboard.quickReloads=true").providersThrottleDuration());
        assertEquals(Duration.ofMillis(500),
                load("switchboard", "--providers.providersThrottleDuration=500ms").providersThrottleDuration());
    }

    @Test
    void mistakesNameTheOptionAndTheFix() {
        ConfigException typo = assertThrows(ConfigException.class, () -> load(null, "--switchboard.autoRetyr=true"));
        assertEquals("--switchboard.autoRetyr is not an option: did you mean --switchboard.autoRetry?", typo.getMessage());
        ConfigException profile = assertThrows(ConfigException.class, () -> load(null, "--switchboard.profile=fast"));
        assertTrue(profile.getMessage().startsWith("--switchboard.profile=fast: the profile is traefik"), profile.getMessage());
        ConfigException env = assertThrows(ConfigException.class, () -> load("v3.2"));
        assertTrue(env.getMessage().startsWith("the environment variable SWITCHBOARD_PROFILE=v3.2: the profile is traefik"),
                env.getMessage());
        ConfigException value = assertThrows(ConfigException.class, () -> load(null, "--switchboard.autoRetry=yes"));
        assertEquals("--switchboard.autoRetry=yes: use true or false", value.getMessage());
    }

    /** docs/reference/profile.md has a row per improvement, and no row for one that does not exist. */
    @Test
    void everyImprovementIsDocumented() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "reference", "profile.md"));
        java.util.Set<String> rows = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\| `(\\w+)` \\|").matcher(
                page.substring(page.indexOf("## The improvements")));
        while (m.find()) {
            rows.add(m.group(1));
        }
        java.util.Set<String> options = new java.util.TreeSet<>();
        for (Improvement i : Improvement.values()) {
            options.add(i.option());
        }
        assertEquals(options, rows, "the table of docs/reference/profile.md and the Improvement enum");
    }
}

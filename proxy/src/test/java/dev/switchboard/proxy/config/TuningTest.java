package dev.switchboard.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The -Dswitchboard.* knobs: defaults, accepted values, and errors that name the property and the fix. */
class TuningTest {
    private static final String NAME = "switchboard.test.knob";

    @AfterEach
    void clear() {
        System.clearProperty(NAME);
    }

    @Test
    void flagsDefaultWhenUnsetAndReadTrueOrFalseInAnyCase() {
        assertTrue(Tuning.flag(NAME, true));
        assertFalse(Tuning.flag(NAME, false));
        System.setProperty(NAME, " FALSE ");
        assertFalse(Tuning.flag(NAME, true));
        System.setProperty(NAME, "True");
        assertTrue(Tuning.flag(NAME, false));
    }

    @Test
    void aFlagThatIsNeitherTrueNorFalseIsAnError() {
        System.setProperty(NAME, "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tuning.flag(NAME, true));
        assertEquals("-D" + NAME + "=yes: use true or false", e.getMessage());
    }

    @Test
    void numbersAreWholeAndPositive() {
        assertEquals(3, Tuning.number(NAME, 3));
        System.setProperty(NAME, "2");
        assertEquals(2, Tuning.number(NAME, 3));
        for (String bad : new String[] {"0", "-1", "two", "1.5"}) {
            System.setProperty(NAME, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tuning.number(NAME, 3));
            assertEquals("-D" + NAME + "=" + bad + ": use a whole number of 1 or more", e.getMessage());
        }
    }

    @Test
    void theForwarderDefaultsAreOnWithAtLeastOneSelector() {
        // Surefire starts the test JVM without -Dswitchboard.* options: these are the shipped defaults.
        assertTrue(Tuning.FORWARDER_NON_BLOCKING);
        assertTrue(Tuning.FORWARDER_SHARED_EXECUTOR);
        assertTrue(Tuning.SERVER_NON_BLOCKING);
        assertEquals(65536, Tuning.FORWARDER_RESPONSE_BUFFER);
        assertTrue(Tuning.FORWARDER_SELECTORS >= 1 && Tuning.FORWARDER_SELECTORS <= 4, "selectors " + Tuning.FORWARDER_SELECTORS);
    }
}

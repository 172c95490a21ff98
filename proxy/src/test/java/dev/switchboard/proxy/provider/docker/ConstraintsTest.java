package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintsTest {
    private static final Map<String, String> LABELS = Map.of("lab", "3", "com.docker.compose.service", "app1",
            "traefik.enable", "true");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", value = {
        "''                                                             => true",
        "Label(`lab`, `3`)                                              => true",
        "Label(\"lab\", \"4\")                                          => false",
        "Label(`missing`, ``)                                           => true",
        "!Label(`lab`, `3`)                                             => false",
        "LabelRegex(`com.docker.compose.service`, `app[0-9]`)           => true",
        "LabelRegex(`com.docker.compose.service`, `^db$`)               => false",
        "Label(`lab`, `4`) || Label(`traefik.enable`, `true`)           => true",
        "Label(`lab`, `3`) && !(Label(`x`, `y`) || Label(`lab`, `4`))   => true",
        "Label(`lab`, `3`) && Label(`lab`, `4`) || Label(`lab`, `3`)    => true",
        "LabelRegex(`lab`, `(`)                                         => false"})
    void matchesLikeTraefik(String expression, boolean expected) {
        assertEquals(expected, Constraints.parse(expression).matches(LABELS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "Lable(`x`, `y`)                => did you mean Label?",
        "Label(`a`)                     => takes two arguments",
        "Label(a, b)                    => backticks or double quotes",
        "Label(`a`, `b`) &              => join conditions with && or ||",
        "(Label(`a`, `b`)               => missing ')'"})
    void mistakesNameTheFlagAndTheFix(String expression, String fix) {
        ConfigException e = assertThrows(ConfigException.class, () -> Constraints.parse(expression));
        assertTrue(e.getMessage().startsWith("--providers.docker.constraints="), e.getMessage());
        assertTrue(e.getMessage().contains(fix), e.getMessage());
    }
}

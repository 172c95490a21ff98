package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Go-template subset of {@code --providers.docker.defaultRule}. */
class RuleTemplateTest {
    private static final RuleTemplate.Model MODEL = new RuleTemplate.Model("app1-demo", "demo-app1-1",
            Map.of("com.docker.compose.service", "app1", "com.docker.compose.project", "demo", "Domain", "lab.local"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "Host(`{{ normalize .Name }}`)                                                      => Host(`app1-demo`)",
        "Host(`{{ .Name }}.localhost`)                                                      => Host(`app1-demo.localhost`)",
        "Host(`{{ index .Labels \"com.docker.compose.service\" }}.localhost`)               => Host(`app1.localhost`)",
        "PathPrefix(`/{{ index .Labels `com.docker.compose.service` }}`)                    => PathPrefix(`/app1`)",
        "Host(`{{ .ContainerName | normalize | upper }}`)                                   => Host(`DEMO-APP1-1`)",
        "Host(`{{ trimSuffix \"-demo\" .Name }}.{{ .Labels.Domain }}`)                      => Host(`app1.lab.local`)",
        "Host(`{{ default \"x.localhost\" (index .Labels \"missing\") }}`)                 => Host(`x.localhost`)",
        "Host(`{{ replace \"-\" \".\" .Name }}`)                                            => Host(`app1.demo`)",
        "Host(`{{ printf \"%s.%s\" (index .Labels \"com.docker.compose.service\") \"localhost\" }}`) => Host(`app1.localhost`)",
        "Host(`{{- .Name -}}  `)                                                            => Host(`app1-demo`)"})
    void rendersLikeGo(String template, String expected) {
        assertEquals(expected, RuleTemplate.parse(template).execute(MODEL));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "Host(`{{ normalise .Name }}`)      => did you mean normalize?",
        "Host(`{{ .Name }`)                 => expected }}",
        "Host(`{{ if .Name }}x{{ end }}`)   => not supported",
        "Host(`{{ lower }}`)                => lower takes 1 argument, not 0",
        "Host(`{{ index .Labels }}`)        => index takes a map and a key"})
    void mistakesStopStartUpWithTheFix(String template, String fix) {
        // Parse errors, which Traefik's provider Init reports (the Docker provider then does not start).
        ConfigException e = assertThrows(ConfigException.class, () -> RuleTemplate.parse(template));
        assertTrue(e.getMessage().startsWith("--providers.docker.defaultRule="), e.getMessage());
        assertTrue(e.getMessage().contains(fix), e.getMessage());
    }

    /** An unknown field fails when the template runs, as Go's text/template: only routers needing it are left out. */
    @org.junit.jupiter.api.Test
    void anUnknownFieldFailsWhenTheTemplateRuns() {
        RuleTemplate t = RuleTemplate.parse("Host(`{{ .name }}`)");
        ConfigException e = assertThrows(ConfigException.class, () -> t.execute(MODEL));
        assertTrue(e.getMessage().contains("did you mean .Name?"), e.getMessage());
    }
}

package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replacements expand as Go's Regexp.ReplaceAllString does, which is what Traefik users write. */
class GoRegexTest {

    @ParameterizedTest(name = "{0} on {1} with {2}")
    @CsvSource(delimiter = '|', value = {
        "^/foo/(.*)        | /foo/a/b    | /bar/$1          | /bar/a/b",
        "^/foo/(.*)        | /foo/a/b    | /bar/${1}        | /bar/a/b",
        "^/u/(?P<id>\\d+)  | /u/42       | /users/${id}     | /users/42",
        "^/u/(?<id>\\d+)   | /u/42       | /users/$id/x     | /users/42/x",
        "^/(a)             | /a          | /$1x             | /",
        "^/(a)             | /a          | /${1}x           | /ax",
        "^/(a)             | /a          | /$$1             | /$1",
        "^/(a)             | /a          | /$9              | /",
        "o                 | /foo        | 0                | /f00",
        "x*                | abc         | -                | -a-b-c-"})
    void replaceAll(String regex, String input, String template, String expected) {
        assertEquals(expected, GoRegex.replaceAll(GoRegex.compile("regex", regex.trim()), input.trim(), template.trim()));
    }
}

package dev.switchboard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every URL a command of the docs passes to the shell is quoted where a shell would read it: zsh (the
 * default shell of macOS) takes an unquoted {@code ?}, {@code *} or {@code [} as a file pattern and
 * stops with "no matches found", and every shell takes {@code &} for "run in the background". A
 * student copies the command as printed, so {@code curl 'http://localhost:8000/users?limit=2'}.
 */
class ShellQuotingTest {
    private static final Set<String> SHELL = Set.of("console", "sh", "bash", "shell", "zsh");

    static Stream<Snippets.Snippet> shellBlocks() {
        return Snippets.all().stream().filter(s -> SHELL.contains(s.language()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shellBlocks")
    void urlsWithQueriesAreQuoted(Snippets.Snippet snippet) {
        List<String> unquoted = new ArrayList<>();
        for (String command : commands(snippet.code())) {
            unquoted.addAll(unquotedUrls(command));
        }
        assertTrue(unquoted.isEmpty(), () -> snippet + ": quote these URLs ('...'), zsh and & read them otherwise: " + unquoted);
    }

    /** The command lines of a block: its {@code $ } lines, or, in a script with none, every line that is not a comment. */
    static List<String> commands(String code) {
        List<String> prompted = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (String line : code.split("\n")) {
            if (line.startsWith("$ ")) {
                prompted.add(line.substring(2));
            }
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                all.add(line);
            }
        }
        return prompted.isEmpty() ? all : prompted;
    }

    /** The words of {@code command} that hold a URL ({@code ://}) followed by an unquoted {@code ? * [ &}. */
    static List<String> unquotedUrls(String command) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        StringBuilder bare = new StringBuilder();
        char quote = 0;
        for (int i = 0; i <= command.length(); i++) {
            char c = i < command.length() ? command.charAt(i) : ' ';
            if (quote == 0 && (Character.isWhitespace(c) || c == ';' || c == '|')) {
                int scheme = word.indexOf("://");
                if (scheme >= 0 && bare.substring(scheme).chars().anyMatch(x -> "?*[&".indexOf(x) >= 0)) {
                    out.add(word.toString());
                }
                word.setLength(0);
                bare.setLength(0);
                continue;
            }
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'' && i + 1 < command.length()) {
                word.append(command.charAt(++i));
                bare.append(' ');
                continue;
            } else {
                word.append(c);
                bare.append(quote == 0 ? c : ' ');
                continue;
            }
            // a quote character opens or closes: part of neither the word nor its bare characters
        }
        return out;
    }

    @Test
    void unquotedQueriesAreFoundAndQuotedOnesAreNot() {
        assertEquals(List.of("http://localhost:8000/users?limit=2"), unquotedUrls("curl -s http://localhost:8000/users?limit=2"));
        assertEquals(List.of("http://a/x?b=1&c=2"), unquotedUrls("curl http://a/x?b=1&c=2"));
        assertEquals(List.of(), unquotedUrls("curl -s 'http://localhost:8000/users?limit=2'"));
        assertEquals(List.of(), unquotedUrls("curl -s \"http://$a:8081/admin/faults?errorRate=1\""));
        assertEquals(List.of(), unquotedUrls("curl -s http://localhost:8000/users & wait"));
        assertEquals(List.of(), unquotedUrls("curl http://localhost:8000/users\\?limit=1"));
        assertEquals(List.of("http://h/p?q"), commands("$ curl http://h/p?q\nout?put http://x/?y\n").stream()
                .flatMap(c -> unquotedUrls(c).stream()).toList());
    }
}

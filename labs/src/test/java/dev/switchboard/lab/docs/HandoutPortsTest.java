package dev.switchboard.lab.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.docs.DocsSite;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.kit.LabFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The port rule of the handouts: every address a handout's commands call on this machine
 * ({@code http://localhost:8000/...}, {@code http://app1.localhost:8000/...}) names its port, the
 * port is one the lab's compose files publish (or 8090, where {@code ./lab} serves the docs), and it
 * is 1024 or above. Docker publishes exactly the ports a file names, and ports below 1024 need root
 * on Linux and macOS (and rootless Docker): so the same commands work as printed as root, as any
 * other user, simulated or with Docker. DocsCommandsTest runs them; this says why they can work
 * everywhere, for every lab, without starting anything.
 */
class HandoutPortsTest {
    private static final Path ROOT = LabFolders.root();
    private static final Pattern LOCAL_URL = Pattern.compile("https?://(?:[a-z0-9-]+\\.)?localhost(?::(\\d+))?(?=[/'\"\\s)>`]|$)");
    /** Where {@code ./lab up} serves the docs. */
    private static final int DOCS = 8090;

    static Stream<Path> labs() {
        return LabFolders.all(ROOT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    void everyAddressInTheHandoutsCommandsIsAPublishedUnprivilegedPort(Path lab) throws Exception {
        String page = "labs/" + lab.getFileName() + ".md";
        assertTrue(Files.isRegularFile(ROOT.resolve("docs").resolve(page)), page);
        Set<Integer> published = new TreeSet<>(Set.of(DOCS));
        for (String file : List.of(LabFolders.STARTER, LabFolders.SOLUTION)) {
            // every profile's services: a handout may open a port of an optional service (lab 9's Prometheus)
            ComposeFile compose = ComposeParser.parse(lab.resolve(file), Map.of("COMPOSE_PROFILES", "*"));
            Set<Integer> own = new TreeSet<>();
            compose.services().values().forEach(s -> s.ports().forEach(p -> own.add(p.hostPort())));
            assertFalse(own.stream().anyMatch(p -> p > 0 && p < 1024), lab.getFileName() + "/" + file + " publishes " + own
                    + ": a port below 1024 needs root on Linux and macOS; publish 8000 (\"8000:80\")");
            published.addAll(own);
        }
        List<String> wrong = new ArrayList<>();
        DocsSite site = new DocsSite(ROOT.resolve("docs"));
        List<String> texts = new ArrayList<>();
        DocsCommandsTest.commands(site, page).forEach(c -> {
            texts.add(c.command());
            texts.addAll(c.shown());
        });
        Matcher links = Pattern.compile("<(https?://[^>]+)>").matcher(Files.readString(ROOT.resolve("docs").resolve(page)));
        while (links.find()) {
            texts.add(links.group(1));
        }
        for (String text : texts) {
            Matcher m = LOCAL_URL.matcher(text);
            while (m.find()) {
                Integer port = m.group(1) == null ? null : Integer.valueOf(m.group(1));
                if (port == null || !published.contains(port)) {
                    wrong.add(m.group() + " in: " + text);
                }
            }
        }
        assertTrue(wrong.isEmpty(), page + ": addresses on this machine must name a port the lab publishes " + published
                + " (the entry point is 8000):\n" + String.join("\n", wrong));
    }
}

package dev.switchboard.lab.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./lab} and {@code lab.cmd} rebuild the lab tool when its sources changed, watching the same
 * modules (the Windows script cannot run here; what it watches, and that it rebuilds when stale, can
 * be read).
 */
class LabScriptsTest {
    private static final Path ROOT = LabFolders.root();
    private static final Pattern WATCHED = Pattern.compile("(?m)^(?:#|rem) watched: (.+)$");

    private static List<String> watched(String script) throws Exception {
        Matcher m = WATCHED.matcher(Files.readString(ROOT.resolve(script)));
        assertTrue(m.find(), script + " says what it watches");
        return List.of(m.group(1).trim().split("\\s+"));
    }

    @Test
    void bothScriptsWatchTheSameSourcesAndEveryModuleTheLabToolIsBuiltFrom() throws Exception {
        assertEquals(watched("lab"), watched("lab.cmd"));
        String unix = Files.readString(ROOT.resolve("lab"));
        String windows = Files.readString(ROOT.resolve("lab.cmd"));
        for (String module : watched("lab").subList(1, watched("lab").size())) {
            assertTrue(unix.contains(module), "./lab checks " + module);
            assertTrue(windows.contains("'" + module + "'"), "lab.cmd checks " + module);
        }
        for (String module : List.of("labs", "proxy", "docs")) {
            assertTrue(watched("lab").contains(module), "the lab tool is built from " + module);
        }
        assertTrue(windows.contains("LastWriteTime -gt $jar") && windows.contains("mvnw.cmd\" -q -B -DskipTests package -pl labs -am"),
                "lab.cmd rebuilds when a watched file is newer than the jar");
    }
}

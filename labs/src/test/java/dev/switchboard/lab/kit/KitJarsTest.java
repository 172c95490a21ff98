package dev.switchboard.lab.kit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A jar is rebuilt when it is missing or older than its module's sources; files an image copies as they are never are. */
class KitJarsTest {
    @TempDir
    Path module;

    private Path file(String path, Instant modified) throws Exception {
        Path f = module.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, path);
        Files.setLastModifiedTime(f, FileTime.from(modified));
        return f;
    }

    @Test
    void aJarOlderThanASourceOrThePomIsOutOfDate() throws Exception {
        Instant built = Instant.parse("2026-12-05T10:00:00Z");
        Path jar = module.resolve("target/app.jar");
        assertTrue(KitJars.outOfDate(jar, module), "missing");
        file("pom.xml", built.minusSeconds(60));
        file("src/main/java/App.java", built.minusSeconds(60));
        file("target/app.jar", built);
        assertFalse(KitJars.outOfDate(jar, module), "built after its sources");
        file("src/main/resources/application.properties", built.plusSeconds(1));
        assertTrue(KitJars.outOfDate(jar, module), "a source edited after the build");
        file("src/main/resources/application.properties", built.minusSeconds(1));
        file("pom.xml", built.plusSeconds(1));
        assertTrue(KitJars.outOfDate(jar, module), "the pom edited after the build");
    }

    @Test
    void aFileTheImageCopiesAsItIsIsNeverOutOfDate() throws Exception {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        Path script = file("init/01-schema.sql", t);
        file("src/main/resources/other.sql", t.plusSeconds(5));
        assertFalse(KitJars.outOfDate(script, module));
    }
}

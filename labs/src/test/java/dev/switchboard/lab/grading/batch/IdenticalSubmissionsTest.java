package dev.switchboard.lab.grading.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.switchboard.lab.kit.LabFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdenticalSubmissionsTest {
    @TempDir
    Path dir;

    private Path lab(String student, String compose, String dynamicFile) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(student).resolve("compose/lab6-dynamic-config"));
        Files.writeString(folder.resolve("compose.yaml"), compose);
        if (dynamicFile != null) {
            Files.createDirectories(folder.resolve("dynamic"));
            Files.writeString(folder.resolve("dynamic/routes.yml"), dynamicFile);
        }
        return folder.resolve("compose.yaml");
    }

    private static String print(Path compose) throws Exception {
        return IdenticalSubmissions.fingerprint(IdenticalSubmissions.labFiles(compose, true));
    }

    @Test
    void lineEndingsTrailingSpacesAndBlankLinesDoNotCountButCommentsAndEveryFileDo() throws Exception {
        String a = print(lab("a", "services:\n  app1:\n    image: x # mine\n", "http: {}\n"));
        String b = print(lab("b", "services:\r\n\r\n  app1:   \r\n    image: x # mine\r\n", "http: {}\r\n"));
        String c = print(lab("c", "services:\n  app1:\n    image: x # ours\n", "http: {}\n"));
        String d = print(lab("d", "services:\n  app1:\n    image: x # mine\n", "http: {routers: {}}\n"));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(a, d);
        assertEquals(List.of(List.of("a", "b")), IdenticalSubmissions.groups(Map.of("a", a, "b", b, "c", c, "d", d)));
    }

    @Test
    void theReferenceSolutionIsComparedAsAStudentHandsItIn() throws Exception {
        Path kitLab = LabFolders.find(LabFolders.root(), "lab6").orElseThrow();
        Path student = Files.createDirectories(dir.resolve("eve/compose/lab6-dynamic-config/dynamic"));
        Files.copy(kitLab.resolve(LabFolders.SOLUTION), student.getParent().resolve("compose.yaml"));
        try (var files = Files.list(kitLab.resolve("dynamic.solution"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.writeString(student.resolve(f.getFileName().toString()), Files.readString(f).replace("\n", "\r\n"));
            }
        }
        String eve = print(student.getParent().resolve("compose.yaml"));
        assertEquals(IdenticalSubmissions.fingerprint(IdenticalSubmissions.solutionFiles(kitLab)), eve);
        assertNotEquals(IdenticalSubmissions.fingerprint(IdenticalSubmissions.starterFiles(kitLab)), eve);
    }
}

package dev.switchboard.lab.grading.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RosterTest {
    @TempDir
    Path dir;

    private Roster roster(String csv) throws Exception {
        Path f = dir.resolve("roster.csv");
        Files.writeString(f, csv);
        return Roster.read(f);
    }

    @Test
    void readsFolderIdNameAndEmailWithQuotesAndASpreadsheetsByteOrderMark() throws Exception {
        Roster r = roster("\uFEFFFolder, Student ID ,Name,Email\r\nalice,s001,Alice Liddell,alice@example.org\r\n"
                + "bob,s002,\"Builder, Bob\",bob@example.org\r\n\r\n");
        assertEquals(2, r.students().size());
        Roster.Student alice = r.of("alice").orElseThrow();
        assertEquals("s001", alice.id());
        assertEquals("Alice", alice.firstName());
        assertEquals("Liddell", alice.lastName());
        assertEquals("alice@example.org", alice.email());
        assertEquals("Builder, Bob", r.of("bob").orElseThrow().name());
    }

    @Test
    void githubClassroomsRosterColumnsAndItsRepositoryFolderNamesMatch() throws Exception {
        Roster r = roster("identifier,github_username,github_id,name\ns001,ann,1,Ann A\ns002,jo-ann,2,Jo Ann\n");
        assertEquals("s001", r.of("lab3-ann").orElseThrow().id());
        assertEquals("s002", r.of("lab3-jo-ann").orElseThrow().id(), "the longest matching folder wins");
        assertTrue(r.of("lab3-bob").isEmpty());
    }

    @Test
    void aRosterWithoutAFolderColumnOrWithARepeatedFolderIsRefusedNamingTheLine() throws Exception {
        IllegalArgumentException noFolder = assertThrows(IllegalArgumentException.class, () -> roster("id,name\n1,A\n"));
        assertTrue(noFolder.getMessage().contains("folder"), noFolder.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> roster("folder,id\nalice,1\nbob,2\nalice,3\n"));
        assertTrue(twice.getMessage().contains(":4:") && twice.getMessage().contains("line 2"), twice.getMessage());
    }
}

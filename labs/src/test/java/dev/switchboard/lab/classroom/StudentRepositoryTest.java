package dev.switchboard.lab.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the student repository leaves out and rewrites (the export itself: StudentRepositoryIT). */
class StudentRepositoryTest {

    @Test
    void solutionsInstructorPagesTestsAndBuildOutputStayWithTheInstructors() {
        for (String p : new String[] {"compose/lab6-dynamic-config/dynamic.solution/routes.yml", "compose/lab3-strip-prefix/compose.solution.yaml",
                "docs/instructors/grading.md", "labs/src/test/java/X.java", "proxy/target/switchboard-proxy.jar", ".lab/current.json",
                "compose/lab3-strip-prefix/.test-1234.yaml"}) {
            assertTrue(StudentRepository.excluded(Path.of(p)), p);
        }
        for (String p : new String[] {"compose/lab3-strip-prefix/compose.yaml", "compose/lab6-dynamic-config/dynamic/routes.yml",
                "labs/src/main/java/dev/switchboard/lab/Lab.java", "docs/labs/lab3-strip-prefix.md", "sample-db/Dockerfile"}) {
            assertFalse(StudentRepository.excluded(Path.of(p)), p);
        }
    }

    @Test
    void instructorBlocksAndTheInstructorsSectionOfTheContentsAreLeftOut() {
        String page = "Intro.\n\n<!-- instructors -->\nThe solution is in x.\n<!-- /instructors -->\n\nMore.\n";
        assertEquals("Intro.\n\n\nMore.\n", StudentRepository.forStudents("docs/labs/lab6.md", page));
        String summary = "## Reference\n\n- [Flags](reference/flags.md)\n\n## Instructors\n\n- [Grading](instructors/grading.md)\n"
                + "- [Adding a lab](instructors/adding-a-lab.md)\n\n## Help\n\n- [Troubleshooting](troubleshooting.md)\n";
        assertEquals("## Reference\n\n- [Flags](reference/flags.md)\n\n## Help\n\n- [Troubleshooting](troubleshooting.md)\n",
                StudentRepository.forStudents("docs/SUMMARY.md", summary));
    }

    @Test
    void theRootPomLosesTheModulesLeftOutAndTheirComments(@org.junit.jupiter.api.io.TempDir Path export) throws Exception {
        java.nio.file.Files.createDirectories(export.resolve("proxy"));
        String pom = "  <modules>\n    <module>proxy</module>\n    <!-- JMH: benchmarks -->\n    <module>bench/jmh</module>\n  </modules>\n";
        assertEquals("  <modules>\n    <module>proxy</module>\n  </modules>\n", StudentRepository.pom(pom, export));
    }
}

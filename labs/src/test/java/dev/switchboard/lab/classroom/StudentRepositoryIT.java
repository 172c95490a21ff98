package dev.switchboard.lab.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.lab.kit.LabFolders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab classroom export}, as an instructor runs it and as a student (and CI) then uses the
 * export: no solution in it, the lab tool builds there with the wrapper and has no {@code --solution},
 * and the commands of its GitHub Classroom workflow and GitLab CI file run and write the results those
 * systems read. GitHub and GitLab themselves are not here: the workflow's {@code uses:} steps are
 * theirs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudentRepositoryIT {
    private static final YAMLMapper YAML = new YAMLMapper();
    private final Path root = LabFolders.root();

    /** One export for the class: each test takes the next step a course takes with it. */
    @TempDir
    static Path tmp;

    private static Path export;

    @BeforeAll
    static void exportAsAnInstructorDoes() throws Exception {
        export = tmp.resolve("course-labs");
        Run r = run(LabFolders.root(), 5, lab(), "classroom", "export", export.toString(), "--lab", "lab1");
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    @Order(1)
    void theExportHasTheKitWithoutAnySolution() throws Exception {
        for (String kept : List.of("proxy/pom.xml", "sample-producer/pom.xml", "sample-db/Dockerfile", "labs/src/main/java/dev/switchboard/lab/Lab.java",
                "docs/labs/lab3-strip-prefix.md", "compose/lab6-dynamic-config/dynamic/routes.yml", "mvnw", "lab", "README.md",
                Workflows.GITHUB, Workflows.GITLAB)) {
            assertTrue(Files.exists(export.resolve(kept)), kept);
        }
        assertTrue(Files.isExecutable(export.resolve("lab")) && Files.isExecutable(export.resolve("mvnw")));
        for (Path lab : LabFolders.all(root)) {
            assertTrue(Files.isRegularFile(export.resolve("compose").resolve(lab.getFileName()).resolve(LabFolders.STARTER)), lab.toString());
        }
        assertFalse(Files.exists(export.resolve("docs/instructors")));
        assertFalse(Files.exists(export.resolve("labs/src/test")), "the tests that grade the solutions stay with the instructors");

        List<String> solutionTexts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("compose"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).filter(p -> p.toString().contains(".solution"))::iterator) {
                solutionTexts.add(normalised(Files.readString(f)));
            }
        }
        assertTrue(solutionTexts.size() >= 7, "the kit's solutions: " + solutionTexts.size());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(export)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = export.relativize(f).toString();
                if (rel.contains("solution")) {
                    found.add(rel + ": named as a solution");
                }
                String text = normalised(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                for (String solution : solutionTexts) {
                    if (text.contains(solution)) {
                        found.add(rel + ": holds a solution's text");
                    }
                }
                boolean studentText = rel.endsWith(".md") || rel.endsWith(".yaml") || rel.endsWith(".yml");
                if (studentText && (text.contains(LabFolders.SOLUTION) || text.contains("dynamic.solution") || text.contains("--solution"))) {
                    found.add(rel + ": points at a solution");
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static String normalised(String text) {
        return text.replace("\r\n", "\n").replaceAll("(?m)[ \t]+$", "").replaceAll("\n+", "\n").strip();
    }

    @Test
    @Order(2)
    void theLabToolBuildsThereWithTheWrapperAndHasNoSolutionOption() throws Exception {
        Run build = run(export, 15, List.of("./mvnw", "-q", "-B", "-DskipTests", "package"));
        assertEquals(0, build.exit(), build.output());

        Run list = run(export, 2, List.of("./lab", "list"));
        assertEquals(0, list.exit(), list.output());
        for (Path lab : LabFolders.all(root)) {
            assertTrue(list.output().contains(lab.getFileName().toString()), list.output());
        }
        Run help = run(export, 2, List.of("./lab", "up", "--help"));
        assertEquals(0, help.exit(), help.output());
        assertTrue(help.output().contains("--docker") && !help.output().contains("solution"), help.output());
        Run grade = run(export, 2, List.of("./lab", "grade", "--help"));
        assertTrue(grade.output().contains("--submissions") && !grade.output().contains("solution"), grade.output());
        Run up = run(export, 2, List.of("./lab", "up", "lab1", "--solution"));
        assertEquals(2, up.exit(), up.output());
        assertTrue(up.output().contains("Unknown option: '--solution'"), up.output());
    }

    /** The workflow as GitHub Classroom runs it: its run: steps in order, then what the reporter would decode. */
    @Test
    @Order(3)
    void theGithubClassroomWorkflowsCommandsWriteTheResultTheReporterReads() throws Exception {
        JsonNode workflow = YAML.readTree(export.resolve(Workflows.GITHUB).toFile());
        assertEquals("Autograding Tests", workflow.get("name").asText());
        JsonNode job = workflow.get("jobs").get("run-autograding-tests");
        assertEquals("ubuntu-latest", job.get("runs-on").asText());
        JsonNode reporter = null;
        List<String> scripts = new ArrayList<>();
        for (JsonNode step : job.get("steps")) {
            if (step.has("run")) {
                scripts.add(step.get("run").asText());
            } else if (step.get("uses").asText().startsWith("classroom-resources/autograding-grading-reporter@")) {
                reporter = step;
            }
        }
        assertTrue(reporter != null, "the autograding reporter step");
        assertEquals("lab1", reporter.get("with").get("runners").asText());
        assertEquals("${{ steps.lab1.outputs.result }}", reporter.get("env").get("LAB1_RESULTS").asText());
        assertTrue(scripts.stream().anyMatch(s -> s.contains("./lab grade lab1 --backend containers")), scripts.toString());

        dev.switchboard.lab.testing.Docker.assumeAvailable();
        Path output = tmp.resolve("github-output");
        Files.writeString(output, "");
        for (String script : scripts) {
            Run r = run(export, 15, List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script),
                    Map.of("GITHUB_OUTPUT", output.toString()));
            assertEquals(0, r.exit(), script + "\n" + r.output());
        }
        String line = Files.readAllLines(output).stream().filter(l -> l.startsWith("result=")).findFirst().orElseThrow();
        JsonNode result = new ObjectMapper().readTree(Base64.getDecoder().decode(line.substring("result=".length())));
        assertEquals(1, result.get("version").asInt());
        assertEquals(100, result.get("max_score").asInt());
        assertEquals("fail", result.get("status").asText(), "the starter is graded, and it is not done: " + result);
        assertTrue(result.get("tests").size() >= 5, result.toString());
    }

    /** The GitLab job's script, line by line as GitLab's shell runs it, and the JUnit report its artifacts publish. */
    @Test
    @Order(4)
    void theGitlabJobsScriptWritesTheJunitReportItPublishes() throws Exception {
        JsonNode job = YAML.readTree(export.resolve(Workflows.GITLAB).toFile()).get("grade");
        assertTrue(job.get("image").asText().startsWith("eclipse-temurin:17"), job.toString());
        String reports = job.get("artifacts").get("reports").get("junit").asText();
        assertEquals(".lab/grades/*/report.xml", reports);
        for (JsonNode line : job.get("script")) {
            Run r = run(export, 15, List.of("sh", "-ec", line.asText()));
            assertEquals(0, r.exit(), line.asText() + "\n" + r.output());
        }
        Path report = export.resolve(".lab/grades/lab1/report.xml");
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        assertEquals("testsuite", doc.getDocumentElement().getTagName());
        assertTrue(doc.getElementsByTagName("testcase").getLength() >= 5);
    }

    private static List<String> lab() {
        Path root = LabFolders.root();
        Path jar = Path.of(System.getProperty("switchboard.labJar", root.resolve("labs/target/switchboard-lab.jar").toString()));
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Dswitchboard.root=" + root,
                "-jar", jar.toString()));
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path dir, int minutes, List<String> command, String... args) throws Exception {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return run(dir, minutes, all, Map.of());
    }

    private static Run run(Path dir, int minutes, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("TESTCONTAINERS_RYUK_DISABLED", "true");
        pb.environment().putIfAbsent("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
        Path log = Files.createTempFile(tmp, "run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(minutes, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println("$ " + String.join(" ", command) + "\n" + output);
        assertTrue(done, String.join(" ", command) + " did not finish in " + minutes + " minutes");
        return new Run(p.exitValue(), output);
    }
}

package dev.switchboard.lab;

import dev.switchboard.lab.classroom.StudentRepository;
import dev.switchboard.lab.grading.Suites;
import dev.switchboard.lab.kit.LabFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab classroom}: what an instructor hands out. */
@Command(name = "classroom", description = "For instructors: the repository students get.",
        subcommands = {ClassroomCommand.Export.class, CommandLine.HelpCommand.class})
final class ClassroomCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(Lab.OUT);
    }

    @Command(name = "export", description = "Writes the student repository into DIR: the kit with the starters, handouts and "
            + "lab tool, no reference solutions, and CI files that grade it (GitHub Classroom, GitLab).")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "a new (or empty) folder outside this repository")
        Path dir;

        @Option(names = "--lab", paramLabel = "LAB", description = "a lab its CI files grade (repeat for several; default: every lab)")
        List<String> labs;

        @Override
        public Integer call() throws Exception {
            Path root = Lab.root();
            List<String> graded = new ArrayList<>();
            if (labs == null || labs.isEmpty()) {
                LabFolders.all(root).stream().map(LabFolders::id).filter(id -> Suites.of(id).isPresent()).forEach(graded::add);
            } else {
                for (String l : labs) {
                    Path labDir = LabFolders.find(root, l).orElseThrow(() -> new IllegalArgumentException("no lab \"" + l + "\""));
                    graded.add(LabFolders.id(labDir));
                }
            }
            new StudentRepository(root, Lab.OUT::println).export(dir, graded);
            Lab.OUT.println("next: git init there, commit, push it as the assignment's template repository (see docs/instructors/"
                    + "classroom.md)");
            return 0;
        }
    }
}

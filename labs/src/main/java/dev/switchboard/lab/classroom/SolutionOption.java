package dev.switchboard.lab.classroom;

import dev.switchboard.lab.kit.LabFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code --solution} (run, grade or draw a lab's reference solution) exists only where the kit has
 * solutions: the instructors' repository. In a student repository ({@code lab classroom export})
 * the commands have no such option, in their help or on their command line.
 */
public final class SolutionOption {
    private SolutionOption() {
    }

    /** Whether any lab of the repository at {@code root} has its reference solution. */
    public static boolean solutionsPresent(Path root) {
        return LabFolders.all(root).stream().anyMatch(lab -> Files.isRegularFile(lab.resolve(LabFolders.SOLUTION)));
    }

    /** Removes {@code --solution} from every subcommand of {@code lab} when the repository has no solutions. */
    public static CommandLine removeWithoutSolutions(CommandLine lab, Path root) {
        if (root == null || solutionsPresent(root)) {
            return lab;
        }
        for (CommandLine sub : lab.getSubcommands().values()) {
            CommandLine.Model.OptionSpec option = sub.getCommandSpec().findOption("--solution");
            if (option != null) {
                sub.getCommandSpec().remove(option);
            }
        }
        return lab;
    }
}

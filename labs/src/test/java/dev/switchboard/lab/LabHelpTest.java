package dev.switchboard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code lab <command> --help} prints the command's usage (the student repository's test runs {@code ./lab up --help}). */
class LabHelpTest {
    @Test
    void everySubcommandTakesHelp() {
        for (String[] args : new String[][] {{"up", "--help"}, {"grade", "-h"}, {"classroom", "export", "--help"},
                {"kill", "--help"}, {"setup", "-h"}}) {
            StringWriter out = new StringWriter();
            CommandLine lab = Lab.commandLine(null).setOut(new PrintWriter(out));
            assertEquals(0, lab.execute(args), String.join(" ", args));
            assertTrue(out.toString().startsWith("Usage: lab " + args[0]), out.toString());
        }
    }
}

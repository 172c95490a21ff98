package dev.switchboard.lab;

import dev.switchboard.lab.kit.LabFolders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.compose.ComposeParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every lab's topology picture in the docs is the one its solution's compose file draws today. */
class TopologyDiagramTest {
    private final Path root = LabFolders.root();

    @Test
    void everyLabHasItsCurrentDiagram() throws Exception {
        List<Path> labs = LabFolders.all(root);
        assertTrue(!labs.isEmpty());
        for (Path lab : labs) {
            String name = lab.getFileName().toString();
            Path svg = root.resolve("docs/labs/img/" + name + ".svg");
            String drawn = TopologyDiagram.svg(ComposeParser.parse(lab.resolve(LabFolders.SOLUTION), Map.of()));
            assertTrue(Files.isRegularFile(svg), "docs/labs/img/" + name + ".svg is missing: write it with "
                    + "./lab diagram " + LabFolders.id(lab) + " --solution > docs/labs/img/" + name + ".svg");
            assertEquals(drawn, Files.readString(svg), "docs/labs/img/" + name + ".svg is out of date: write it again with "
                    + "./lab diagram " + LabFolders.id(lab) + " --solution > docs/labs/img/" + name + ".svg");
        }
    }

    @Test
    void theDiagramShowsReplicasPortsAndWhoCallsWhom() {
        String svg = TopologyDiagram.svg(ComposeParser.parse(root.resolve("compose/lab1-first-routes/compose.solution.yaml"),
                Map.of()));
        assertTrue(svg.contains(">reverse-proxy<") && svg.contains(">app1<") && svg.contains(">db<"), svg);
        assertTrue(svg.contains(":8000 → 80"), "published ports are shown: 8000 of this machine to 80 of the proxy");
        assertTrue(svg.contains("stroke-dasharray"), "app1 → db (its datasource) is drawn");
    }
}

package dev.switchboard.proxy;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layers drawn in docs/architecture.md ("Layers"), checked over the compiled classes:
 * the table is read from the page, so the page and the code cannot drift apart. A package may use
 * its own layer and the layers below it; no two packages depend on each other in a cycle; every
 * package of the proxy is in exactly one layer.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.switchboard.proxy";
    private static final Path PAGE = Path.of("..", "docs", "architecture.md");
    private static JavaClasses classes;
    private static Map<String, List<String>> layers;

    @BeforeAll
    static void importClasses() throws IOException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        layers = layersOf(Files.readString(PAGE));
    }

    /**
     * The rows of the table under {@code ## Layers}, top layer first: layer name to its packages
     * (written relative to {@code dev.switchboard.proxy}, the root package as {@code (root)}).
     */
    static Map<String, List<String>> layersOf(String markdown) {
        int start = markdown.indexOf("\n## Layers");
        assertTrue(start >= 0, "docs/architecture.md has a \"## Layers\" section");
        int end = markdown.indexOf("\n## ", start + 1);
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        Map<String, List<String>> out = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| *([a-z-]+) *\\|([^|]*)\\|", Pattern.MULTILINE);
        Matcher m = row.matcher(section);
        while (m.find()) {
            if (m.group(1).equals("layer") || m.group(1).startsWith("-")) {
                continue; // the header and its rule
            }
            List<String> packages = new ArrayList<>();
            Matcher name = Pattern.compile("`([a-z.()]+)`").matcher(m.group(2));
            while (name.find()) {
                packages.add(name.group(1).equals("(root)") ? ROOT : ROOT + "." + name.group(1));
            }
            out.put(m.group(1), packages);
        }
        assertFalse(out.isEmpty(), "the Layers section has a table of layers");
        return out;
    }

    @Test
    void everyPackageIsInExactlyOneLayer() {
        Set<String> inCode = new TreeSet<>();
        for (JavaClass c : classes) {
            inCode.add(c.getPackageName());
        }
        List<String> listed = layers.values().stream().flatMap(List::stream).toList();
        assertEquals(listed.size(), Set.copyOf(listed).size(), "a package listed twice in " + layers);
        assertEquals(inCode, new TreeSet<>(listed), "the packages of the proxy and the table of docs/architecture.md");
    }

    @Test
    void eachLayerUsesOnlyItselfAndTheLayersBelow() {
        Architectures.LayeredArchitecture rule = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        List<String> names = new ArrayList<>(layers.keySet());
        for (String name : names) {
            rule = rule.layer(name).definedBy(layers.get(name).toArray(String[]::new));
        }
        for (int i = 1; i < names.size(); i++) {
            rule = rule.whereLayer(names.get(i)).mayOnlyBeAccessedByLayers(names.subList(0, i).toArray(String[]::new));
        }
        rule.whereLayer(names.get(0)).mayNotBeAccessedByAnyLayer().check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }
}

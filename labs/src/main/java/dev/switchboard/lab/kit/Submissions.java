package dev.switchboard.lab.kit;

import dev.switchboard.lab.compose.ComposeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A student's submission as handed in: where its compose file for a lab is, and the kit's own images
 * it builds. Students change compose files only, so a {@code build:} of the kit's modules
 * ({@code ../../proxy}, {@code ../../sample-producer}, {@code ../../sample-db}) is built from this
 * kit whatever folder the file was handed in from.
 */
public final class Submissions {
    /** The kit's modules a submission's build contexts are mapped to. */
    public static final Set<String> KIT_MODULES = Set.of("sample-producer", "sample-db", "proxy");
    /** The names compose itself looks for, in its order. */
    public static final List<String> COMPOSE_NAMES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

    private Submissions() {
    }

    /**
     * The compose file of the lab in {@code labDir} in a submission, in one of the layouts accepted:
     * a copy of the repository ({@code compose/<lab folder>/compose.yaml}), the lab's folder
     * ({@code <lab folder>/compose.yaml}), or the compose file alone at the top; compose's other
     * file names count too. Refused with the layouts accepted and the compose files found.
     */
    public static Path composeFile(Path submission, Path labDir) {
        String lab = labDir.getFileName().toString();
        for (Path folder : List.of(submission.resolve("compose").resolve(lab), submission.resolve(lab), submission)) {
            for (String name : COMPOSE_NAMES) {
                if (Files.isRegularFile(folder.resolve(name))) {
                    return folder.resolve(name);
                }
            }
        }
        throw new IllegalArgumentException(submission + ": no compose file for " + lab + ". The layouts accepted: "
                + "(1) a copy of the repository, compose/" + lab + "/compose.yaml; (2) the lab's folder, " + lab
                + "/compose.yaml; (3) the compose file alone, compose.yaml at the top (compose.yml, docker-compose.yaml and "
                + "docker-compose.yml count too). Found " + found(submission));
    }

    private static String found(Path submission) {
        List<String> yaml = new ArrayList<>();
        try (Stream<Path> files = Files.walk(submission, 4)) {
            files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).limit(10)
                    .forEach(p -> yaml.add(submission.relativize(p).toString()));
        } catch (IOException e) {
            return "nothing readable";
        }
        return yaml.isEmpty() ? "no YAML file" : "only " + String.join(", ", yaml);
    }

    /**
     * {@code compose} with every build context that names a kit module by its folder
     * ({@code ../../proxy} from wherever the file is) built from the kit in {@code kitRoot} instead.
     */
    public static ComposeFile withKitBuildContexts(ComposeFile compose, Path kitRoot) {
        Path kit = kitRoot.toAbsolutePath().normalize();
        Map<String, ComposeFile.Service> mapped = new LinkedHashMap<>();
        compose.services().forEach((name, s) -> {
            ComposeFile.Build b = s.build();
            if (b != null && b.context().getFileName() != null && KIT_MODULES.contains(b.context().getFileName().toString())) {
                b = new ComposeFile.Build(kit.resolve(b.context().getFileName().toString()), b.dockerfile(), b.args());
            }
            mapped.put(name, new ComposeFile.Service(s.name(), s.image(), b, s.command(), s.environment(), s.ports(), s.expose(),
                    s.labels(), s.replicas(), s.networks(), s.dependsOn(), s.healthcheck(), s.volumes(), s.containerName(),
                    s.source()));
        });
        return new ComposeFile(compose.file(), compose.project(), mapped, compose.networks(), compose.volumes());
    }
}

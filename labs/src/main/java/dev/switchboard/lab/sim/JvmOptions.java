package dev.switchboard.lab.sim;

import dev.switchboard.lab.compose.Dockerfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JVM options of the Java programs the simulation runs as containers, chosen for a small
 * footprint: a lab runs a proxy and up to six producer replicas on a student's laptop
 * (docs/reference/performance.md has the figures). A Java image's own options come from its
 * Dockerfile ({@code JAVA_OPTS}); this class gives the proxy's, and maps an image's class-data-sharing
 * archive to the one built on this machine.
 */
public final class JvmOptions {
    /**
     * The proxy: the serial collector with a heap that starts small and stays bounded, the C1
     * compiler only (a lab's load is light; C2's compilations would cost CPU a grading waits for),
     * small thread stacks.
     */
    public static final List<String> PROXY = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=32m", "-Xss512k");

    private static final String SHARED_ARCHIVE = "-XX:SharedArchiveFile=";

    private JvmOptions() {
    }

    /** Whether {@code option} names a class-data-sharing archive, for {@link #sharedArchive}. */
    public static boolean isSharedArchive(String option) {
        return option.startsWith(SHARED_ARCHIVE);
    }

    /**
     * {@code -XX:SharedArchiveFile=/app/x.jsa} of an image, as this machine runs it: the archive the
     * build made next to the jar the image copies ({@code target/app/x.jsa} beside
     * {@code target/app/x.jar}, for {@code COPY target/app/x.jar /app/x.jar}), if it is there and was
     * made by this JVM ({@code x.jsa.jvm} holds the {@code java -version} of the one that made it: an
     * archive fits only its own JVM). Empty otherwise: the program then starts without it, only slower.
     */
    public static Optional<String> sharedArchive(Dockerfile image, String option) {
        String inImage = option.substring(SHARED_ARCHIVE.length());
        int slash = inImage.lastIndexOf('/');
        String dir = inImage.substring(0, slash + 1);
        String name = inImage.substring(slash + 1);
        for (Map.Entry<String, Path> copy : image.copies().entrySet()) {
            String target = copy.getKey();
            if (target.lastIndexOf('/') == slash && target.startsWith(dir) && Files.isRegularFile(copy.getValue())) {
                Path archive = copy.getValue().resolveSibling(name);
                return madeByThisJvm(archive) ? Optional.of(SHARED_ARCHIVE + archive) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    static boolean madeByThisJvm(Path archive) {
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        try {
            String made = Files.readString(archive.resolveSibling(archive.getFileName() + ".jvm"));
            return made.contains("(build " + System.getProperty("java.runtime.version") + ")")
                    && made.contains(System.getProperty("java.vm.name"));
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.switchboard.lab.grading.labs;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.grading.CheckFailed;
import dev.switchboard.lab.grading.LabContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The folder a lab's file provider watches, as the grader reaches it to change the configuration
 * the way a release does (labs 6 and 8): a file written there, in the grader's private copy of the
 * student's folder, applies while the proxy runs. The compose file is read only to know where to
 * write, never graded.
 */
final class DynamicFolder {
    private DynamicFolder() {
    }

    /**
     * The lab-folder path of the folder the proxy's file provider reads: the bind mount of the
     * reverse-proxy that shows {@code --providers.file.directory}.
     */
    static String of(LabContext lab, String mountHint) {
        ComposeFile.Service proxy = lab.topology().compose().services().get("reverse-proxy");
        String directory = null;
        List<String> command = proxy.command();
        for (int i = 0; i < command.size(); i++) {
            String flag = command.get(i).toLowerCase(Locale.ROOT);
            if (flag.startsWith("--providers.file.directory=")) {
                directory = command.get(i).substring(command.get(i).indexOf('=') + 1).trim();
            } else if (flag.equals("--providers.file.directory") && i + 1 < command.size()) {
                directory = command.get(i + 1).trim();
            }
        }
        if (directory == null) {
            throw new CheckFailed("the reverse-proxy has no --providers.file.directory, so the grader cannot add a file to its "
                    + "configuration", "read the dynamic configuration from a folder: --providers.file.directory=/etc/switchboard/dynamic");
        }
        for (ComposeFile.Volume v : proxy.volumes()) {
            String target = v.target().replaceAll("/+$", "");
            if (!v.named() && (directory.equals(target) || directory.startsWith(target + "/"))) {
                if (!v.source().startsWith(".")) {
                    throw new CheckFailed("the folder " + directory + " is mounted from " + v.source() + ", outside the lab's folder",
                            "mount a folder of the lab: " + mountHint);
                }
                return Path.of(v.source()).resolve(directory.substring(target.length()).replaceFirst("^/", "")).normalize()
                        .toString().replace('\\', '/');
            }
        }
        throw new CheckFailed("no volume of the reverse-proxy shows it the folder " + directory,
                "mount the lab's dynamic folder there: volumes: - " + mountHint);
    }

    /** The proxy's start date from the API ({@code /api/version}, as Traefik's): the same while it has not restarted. */
    static String startDate(LabContext lab) throws Exception {
        return lab.api("/api/version").path("startDate").asText();
    }
}

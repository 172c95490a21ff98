package dev.switchboard.lab.topology;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.Dockerfile;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.model.ServiceModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * The images a lab's services run: built from their Dockerfiles with Testcontainers'
 * {@link ImageFromDockerfile}, once per content, and kept.
 *
 * <p>An image is named {@code switchboard/lab-<context folder>:<hash>}, where the hash covers the
 * Dockerfile, the build arguments, the base images' ids and the files the Dockerfile copies (a jar
 * by its entries' names and contents, not its timestamps, so rebuilding the same sources reuses
 * the image). A later grading that finds the name present starts at once; images are not removed
 * after a run ({@code docker image ls 'switchboard/lab-*'} lists them).
 *
 * <p>Base images come through build arguments: where the environment names stand-ins
 * ({@code SWITCHBOARD_JAVA_IMAGE}, {@code SWITCHBOARD_MYSQL_IMAGE}) they replace {@code JAVA_IMAGE}
 * and {@code MYSQL_IMAGE} of every Dockerfile that declares them, so nothing is pulled; otherwise
 * the files' own values (the official images) are used. One fallback for machines with no registry
 * (CI): an official image that is not on the machine, while the stand-in
 * {@code .ci/provision-docker.sh} builds for it is, is replaced by that stand-in (said in the
 * progress output); students, who have or can pull the official images, never see it.
 * {@code image: traefik:...} runs Switchboard's proxy image, built from {@code proxy/Dockerfile}:
 * the kit's one promise is that only the proxy is swapped.
 */
final class LabImages {
    /** One build at a time per image name in this JVM: parallel gradings wait for the first build instead of repeating it. */
    private static final Map<String, Object> BUILDS = new ConcurrentHashMap<>();
    private static final Pattern FROM = Pattern.compile("(?im)^\\s*FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern ARG = Pattern.compile("(?im)^\\s*ARG\\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\\S*))?");
    private static final Pattern ARG_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    /** What a registry says when an image does not exist (as opposed to: no registry reachable). */
    /** The official images the labs use, and the local stand-ins {@code .ci/provision-docker.sh} builds for machines with no registry. */
    private static final Map<String, String> KNOWN_STAND_INS = Map.of("eclipse-temurin:17-jre", "switchboard/jre:17",
            "mysql:8.4", "switchboard/mysql:8.4");
    private static final Pattern NO_SUCH_IMAGE = Pattern.compile(
            "(?i)manifest unknown|pull access denied|repository does not exist|not found: manifest|invalid reference format");

    private final Path root;
    private final DockerClient docker;
    private final Map<String, String> standIns;
    private final String traefikImage;
    private final Consumer<String> progress;

    /** With a {@code traefikImage}, the proxy runs that official image instead of Switchboard's proxy. */
    LabImages(Path root, DockerClient docker, Map<String, String> standIns, String traefikImage, Consumer<String> progress) {
        this.root = root.toAbsolutePath().normalize();
        this.docker = docker;
        this.standIns = standIns;
        this.traefikImage = traefikImage;
        this.progress = progress;
    }

    /** The image {@code service} runs, built or found (pulled if a registry has it). */
    String imageOf(ServiceModel model) {
        ComposeFile.Service service = model.service();
        if (model.isProxy() && traefikImage != null) {
            return official(traefikImage, "service " + service.name());
        }
        if (service.build() != null) {
            return built(service, service.build().context(), service.build().dockerfile(), service.build().args());
        }
        if (LabModel.isTraefikImage(service.image())) {
            return built(service, root.resolve("proxy"), "Dockerfile", Map.of());
        }
        return present(local(service.image(), "service " + service.name()), "service " + service.name(), true);
    }

    /** {@code image}, or its stand-in when only the stand-in is on this machine (see the class comment). */
    private String local(String image, String what) {
        String standIn = KNOWN_STAND_INS.get(image);
        if (standIn == null || exists(image) || !exists(standIn)) {
            return image;
        }
        progress.accept(what + ": " + image + " is not on this machine; using its local stand-in " + standIn);
        return standIn;
    }

    /** The Dockerfile a service is built from, or the proxy's for {@code image: traefik}; null for other images. */
    Path dockerfileOf(ComposeFile.Service service) {
        if (service.build() != null) {
            return service.build().context().resolve(service.build().dockerfile()).normalize();
        }
        return LabModel.isTraefikImage(service.image()) ? root.resolve("proxy").resolve("Dockerfile") : null;
    }

    private String built(ComposeFile.Service service, Path context, String dockerfileName, Map<String, String> composeArgs) {
        Path dockerfile = context.resolve(dockerfileName).normalize();
        if (!Files.isRegularFile(dockerfile)) {
            throw new ComposeException(service.where() + ": service " + service.name() + ": build needs " + dockerfile
                    + ", which does not exist");
        }
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> args = new TreeMap<>(composeArgs);
        Map<String, String> declared = declaredArgs(text);
        standIns.forEach((arg, image) -> {
            if (declared.containsKey(arg)) {
                args.put(arg, image);
            }
        });
        declared.forEach((arg, dflt) -> {
            String value = args.getOrDefault(arg, dflt);
            if (KNOWN_STAND_INS.containsKey(value)) {
                String chosen = local(value, service.name());
                if (!chosen.equals(value)) {
                    args.put(arg, chosen);
                }
            }
        });
        boolean kit = context.startsWith(root);
        List<String> baseIds = new ArrayList<>();
        for (String base : baseImages(text, declared, args)) {
            baseIds.add(base + "=" + present(base, "the base image of " + root.relativize(dockerfile), !kit));
        }
        String hash = hash(context, dockerfile, text, args, baseIds);
        String repository = "switchboard/lab-" + context.getFileName().toString().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        String name = repository + ":" + hash.substring(0, 16);
        synchronized (BUILDS.computeIfAbsent(name, n -> new Object())) {
            if (exists(name)) {
                progress.accept(service.name() + ": image " + name + " (built before)");
                return name;
            }
            progress.accept(service.name() + ": building image " + name + " from " + display(dockerfile)
                    + (args.isEmpty() ? "" : " " + args) + " (once per content)");
            long start = System.nanoTime();
            ImageFromDockerfile image = new ImageFromDockerfile(name, false)
                    .withDockerfile(dockerfile)
                    .withBuildArgs(args)
                    .withBuildImageCmdModifier(cmd -> cmd.withLabels(Map.of("dev.switchboard.lab.image", "true",
                            "dev.switchboard.lab.context", context.toString())));
            if (!context.equals(dockerfile.getParent())) {
                image.withBuildImageCmdModifier(cmd -> {
                    cmd.withBaseDirectory(context.toFile());
                    cmd.withDockerfile(dockerfile.toFile());
                });
            }
            try {
                image.get();
            } catch (RuntimeException e) {
                String why = DockerEngine.causes(e);
                String message = "building " + name + " from " + display(dockerfile) + " failed: " + why;
                if (kit) {
                    throw new BackendException(message + " (the kit's own image: check the jars are built, "
                            + "./mvnw -q -DskipTests package)", e);
                }
                throw new ComposeException(service.where() + ": service " + service.name() + ": " + message);
            } catch (Exception e) {
                throw new BackendException("building " + name + " failed: " + DockerEngine.causes(e), e);
            }
            progress.accept(service.name() + ": built " + name + " in "
                    + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
        }
        return name;
    }

    private String display(Path p) {
        return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
    }

    private boolean exists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * The official Traefik image in place of Switchboard's proxy ({@code --traefik}): present on this
     * machine, or pulled; if it cannot be pulled, say so, and what runs instead without it.
     */
    private String official(String image, String what) {
        String failure = pull(image, what + ", --traefik");
        if (failure == null) {
            return image;
        }
        throw new BackendException(TopologyOptions.traefikUnavailable(image, failure));
    }

    /**
     * The id of {@code image}, pulling it first if it is not on this machine. An image no registry
     * has is the submission's mistake when {@code namedBySubmission}; no registry at all is the
     * machine's problem.
     */
    private String present(String image, String what, boolean namedBySubmission) {
        String failure = pull(image, what);
        if (failure == null) {
            return docker.inspectImageCmd(image).exec().getId();
        }
        if (namedBySubmission && NO_SUCH_IMAGE.matcher(failure).find()) {
            throw new ComposeException(what + ": image " + image + " does not exist (" + failure + "): check its name and tag");
        }
        throw new BackendException("image " + image + " (" + what + ") is not on this machine and could not be "
                + "pulled: " + failure + ". Pull it (docker pull " + image + ") where a registry is reachable"
                + ", or, for base images, name a local stand-in with SWITCHBOARD_JAVA_IMAGE / "
                + "SWITCHBOARD_MYSQL_IMAGE (docs/instructors/grading.md)");
    }

    /** Null when {@code image} is on this machine, pulled if it was not; otherwise why it could not be pulled. */
    private String pull(String image, String what) {
        try {
            docker.inspectImageCmd(image).exec();
            return null;
        } catch (NotFoundException e) {
            // pull it below
        }
        progress.accept("pulling " + image + " (" + what + ")");
        String failure;
        try {
            DockerImageName parsed = DockerImageName.parse(image);
            var pull = image.contains("@") ? docker.pullImageCmd(image)
                    : docker.pullImageCmd(parsed.getUnversionedPart()).withTag(parsed.getVersionPart());
            boolean done = pull.start().awaitCompletion(10, TimeUnit.MINUTES);
            failure = done ? null : "the pull did not finish within 10 minutes";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (RuntimeException e) {
            failure = DockerEngine.causes(e);
        }
        if (failure == null) {
            try {
                docker.inspectImageCmd(image).exec();
            } catch (NotFoundException e) {
                failure = "the pull ended without the image";
            }
        }
        return failure;
    }

    /** {@code ARG NAME[=default]} before and between stages: name to default (empty when none). */
    static Map<String, String> declaredArgs(String dockerfile) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ARG.matcher(dockerfile);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2) == null ? "" : unquote(m.group(2)));
        }
        return out;
    }

    /** The images the stages start FROM, with build arguments substituted; stage names and {@code scratch} left out. */
    static List<String> baseImages(String dockerfile, Map<String, String> declared, Map<String, String> args) {
        Set<String> stages = new LinkedHashSet<>();
        Set<String> images = new LinkedHashSet<>();
        Matcher m = FROM.matcher(dockerfile);
        while (m.find()) {
            String image = substitute(m.group(1), declared, args);
            if (!stages.contains(image) && !image.equalsIgnoreCase("scratch")) {
                images.add(image);
            }
            if (m.group(2) != null) {
                stages.add(m.group(2));
            }
        }
        return new ArrayList<>(images);
    }

    private static String substitute(String text, Map<String, String> declared, Map<String, String> args) {
        Matcher m = ARG_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String value = args.containsKey(name) ? args.get(name) : declared.get(name);
            if ((value == null || value.isEmpty()) && m.group(2) != null) {
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
                ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * What the image is made of: the Dockerfile, its arguments, its base images and the files it copies
     * (the whole context when the Dockerfile is beyond {@link Dockerfile}'s reading, e.g. several stages).
     */
    private static String hash(Path context, Path dockerfile, String text, Map<String, String> args, List<String> baseIds) {
        MessageDigest digest = sha256();
        update(digest, "dockerfile\0" + text + "\0");
        args.forEach((k, v) -> update(digest, "arg\0" + k + "=" + v + "\0"));
        baseIds.forEach(b -> update(digest, "base\0" + b + "\0"));
        List<Path> inputs;
        try {
            inputs = new ArrayList<>(Dockerfile.parse(context, dockerfile, args).copies().values());
        } catch (ComposeException e) {
            inputs = List.of(context);
        }
        inputs.stream().map(p -> p.toAbsolutePath().normalize()).distinct().sorted().forEach(p -> {
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> files = Files.walk(p)) {
                        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                            updateFile(digest, context, f);
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    updateFile(digest, context, p);
                } else {
                    update(digest, "missing\0" + p + "\0");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p + " to hash it: " + e.getMessage(), e);
            }
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void updateFile(MessageDigest digest, Path context, Path file) throws IOException {
        String name = file.startsWith(context) ? context.relativize(file).toString() : file.toString();
        update(digest, "file\0" + name + "\0");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".zip")) {
            // Entries by name and content: Maven writes new timestamps into every rebuilt jar.
            Map<String, String> entries = new TreeMap<>();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    entries.put(e.getName(), HexFormat.of().formatHex(sha256(zip)));
                }
            }
            entries.forEach((entry, sum) -> update(digest, entry + "\0" + sum + "\0"));
        } else {
            try (InputStream in = Files.newInputStream(file)) {
                update(digest, HexFormat.of().formatHex(sha256(in)) + "\0");
            }
        }
    }

    private static byte[] sha256(InputStream in) throws IOException {
        MessageDigest d = sha256();
        byte[] buffer = new byte[65536];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            d.update(buffer, 0, n);
        }
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }
}

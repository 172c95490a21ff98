package dev.switchboard.lab.sim;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.Dockerfile;
import dev.switchboard.lab.model.LabModel;
import dev.switchboard.lab.model.ProxyModel;
import dev.switchboard.lab.model.ServiceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides how each compose service runs without Docker: which program, with which command line and
 * environment. Service names in environment values ({@code jdbc:mysql://db:3306/users_db},
 * {@code http://reverse-proxy/app1}) stay names, resolved by each service's hosts file (see
 * {@link Networks}), with the port the service really listens on; container paths under volumes
 * become directories of the lab's state folder; ports below 1024 move up when this user may not bind
 * them (80 becomes 8000, 443 becomes 8443, others + 10000).
 */
public final class Planner {
    private static final Pattern JRE = Pattern.compile("(eclipse-temurin|openjdk|amazoncorretto|azul/zulu-openjdk|bellsoft/liberica\\S*|ibm-semeru-runtimes|switchboard/jre)(:.*)?");
    private static final Pattern DB = Pattern.compile("(library/)?(mysql|mariadb|switchboard/mysql)(:.*)?");

    private final LabModel model;
    private final ComposeFile compose;
    private final Path repoRoot;
    private final Path stateDir;
    private final boolean privileged;
    private final String dockerEndpoint;

    public Planner(LabModel model, Path repoRoot, Path stateDir, boolean privileged, String dockerEndpoint) {
        this.model = model;
        this.compose = model.compose();
        this.repoRoot = repoRoot;
        this.stateDir = stateDir;
        this.privileged = privileged;
        this.dockerEndpoint = dockerEndpoint;
    }

    /** Where a container port really listens: below 1024 it moves up when the user may not bind it. */
    public static int listenPort(int containerPort, boolean privileged) {
        if (privileged || containerPort >= 1024 || containerPort == 0) {
            return containerPort;
        }
        return switch (containerPort) {
            case 80 -> 8000;
            case 443 -> 8443;
            default -> containerPort + 10000;
        };
    }

    public int listenPort(int containerPort) {
        return listenPort(containerPort, privileged);
    }

    /** How each service of the model runs, in file order. */
    public List<ServicePlan> plan() {
        return model.services().stream().map(this::plan).toList();
    }

    private ServicePlan plan(ServiceModel m) {
        ComposeFile.Service s = m.service();
        String image = s.image() == null ? "" : s.image().toLowerCase(Locale.ROOT).replaceFirst("^docker\\.io/", "");
        Dockerfile dockerfile = s.build() == null ? null : m.requireDockerfile();
        String base = dockerfile != null ? dockerfile.from().toLowerCase(Locale.ROOT) : image;
        if (m.isProxy()) {
            return proxy(m);
        }
        if (image.startsWith("traefik/whoami")) {
            return whoami(m);
        }
        if (DB.matcher(base).matches() || DB.matcher(image).matches()) {
            return database(m, dockerfile);
        }
        if (dockerfile != null && JRE.matcher(base).matches() && javaCommand(dockerfile, s).isPresent()) {
            return java(m, dockerfile);
        }
        String what = s.build() != null ? "its Dockerfile (FROM " + base + ")" : "image \"" + s.image() + "\"";
        throw new ComposeException(s.where() + ": service " + s.name() + ": the simulated topology cannot run " + what
                + ": it runs Traefik/Switchboard, traefik/whoami, mysql/mariadb and Java images (FROM a JRE, ENTRYPOINT java -jar); "
                + "run this lab with --docker");
    }

    private ServicePlan proxy(ServiceModel m) {
        ComposeFile.Service s = m.service();
        ProxyModel proxy = m.proxy().orElseThrow();
        if (proxy.config().isEmpty()) {
            throw new ComposeException(s.where() + ": service " + s.name() + ": the simulated topology reads the proxy's "
                    + "entry points from its command, but --configFile names a file inside the container: give the static "
                    + "configuration as flags, or run this lab with --docker");
        }
        Path jar = repoRoot.resolve("proxy/target/switchboard-proxy.jar");
        List<String> flags = proxy.flags();
        List<String> program = new ArrayList<>(List.of(javaBinary()));
        program.addAll(JvmOptions.PROXY);
        program.addAll(List.of("-Djdk.net.hosts.file=" + hostsFile(s.name()), "-jar", jar.toString()));
        List<Integer> ports = new ArrayList<>();
        for (String flag : flags) {
            String f = flag.toLowerCase(Locale.ROOT);
            if (f.matches("--entrypoints\\.[^.]+\\.address(=.*)?")) {
                continue; // rewritten below with the container's address
            }
            program.add(translatePaths(s, flag));
        }
        proxy.entryPoints().forEach((name, port) -> {
            ports.add(port);
            program.add("--entrypoints." + name + ".address={ip}:" + listenPort(port));
        });
        if (proxy.dockerProvider()) {
            program.removeIf(f -> f.toLowerCase(Locale.ROOT).startsWith("--providers.docker.endpoint"));
            program.add("--providers.docker.endpoint=" + dockerEndpoint);
        }
        String note = s.image() != null && s.image().startsWith("traefik")
                ? "image " + s.image() + " runs as Switchboard's proxy" : null;
        return new ServicePlan(m, ServicePlan.Kind.PROXY, program, environment(m), stateDir, ports,
                healthOf(m, ports.isEmpty() ? 80 : ports.get(0)), timing(m), 0, List.of(), note);
    }

    private ServicePlan whoami(ServiceModel m) {
        ComposeFile.Service s = m.service();
        int port = 80;
        String name = null;
        List<String> cmd = s.command();
        for (int i = 0; i < cmd.size(); i++) {
            String a = cmd.get(i).replaceFirst("^--?", "");
            if (a.startsWith("port")) {
                port = Integer.parseInt(a.contains("=") ? a.substring(a.indexOf('=') + 1) : cmd.get(++i));
            } else if (a.startsWith("name")) {
                name = a.contains("=") ? a.substring(a.indexOf('=') + 1) : cmd.get(++i);
            }
        }
        // Whoami is in the test kit, which the lab tool's own class path holds (the proxy's jar does not).
        List<String> program = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), "dev.switchboard.testkit.Whoami", "--address={ip}:" + listenPort(port),
                "--name=" + (name == null ? "{hostname}" : name)));
        return new ServicePlan(m, ServicePlan.Kind.WHOAMI, program, environment(m), stateDir, List.of(port),
                healthOf(m, port), timing(m), 0, List.of(), "image " + s.image() + " runs as Switchboard's Whoami");
    }

    private ServicePlan database(ServiceModel m, Dockerfile dockerfile) {
        ComposeFile.Service s = m.service();
        List<Path> scripts = new ArrayList<>();
        if (dockerfile != null) {
            dockerfile.copies().forEach((target, local) -> {
                if (target.startsWith("/docker-entrypoint-initdb.d")) {
                    scripts.addAll(sqlFiles(local));
                }
            });
        }
        for (ComposeFile.Volume v : s.volumes()) {
            if (v.target().startsWith("/docker-entrypoint-initdb.d") && !v.named()) {
                scripts.addAll(sqlFiles(compose.directory().resolve(v.source()).normalize()));
            }
        }
        scripts.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        Map<String, String> env = new LinkedHashMap<>(dockerfile == null ? Map.of() : dockerfile.env());
        env.putAll(environment(m));
        return new ServicePlan(m, ServicePlan.Kind.DATABASE, List.of(), env, stateDir, List.of(3306),
                healthOf(m, 3306), timing(m), 3306, scripts, "runs as MariaDB (MySQL protocol)");
    }

    private static List<Path> sqlFiles(Path local) {
        if (Files.isRegularFile(local)) {
            return local.toString().endsWith(".sql") ? List.of(local) : List.of();
        }
        if (!Files.isDirectory(local)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(local)) {
            return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The java command line of an image: its ENTRYPOINT and CMD (the compose {@code command}
     * replaces CMD), either exec form {@code ["java", ...]} or the common shell wrapper
     * {@code ["sh", "-c", "exec java $JAVA_OPTS -jar /app/x.jar \"$@\"", "name"]}, with the image's
     * and compose's environment substituted. Empty if the image does not run java.
     */
    private java.util.Optional<List<String>> javaCommand(Dockerfile d, ComposeFile.Service s) {
        List<String> entry = d.entrypoint().isEmpty() ? d.cmd() : d.entrypoint();
        List<String> args = d.entrypoint().isEmpty() ? List.of() : (s.command().isEmpty() ? d.cmd() : s.command());
        if (entry.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (entry.get(0).equals("java") || entry.get(0).endsWith("/java")) {
            List<String> all = new ArrayList<>(entry);
            all.addAll(args);
            return java.util.Optional.of(all);
        }
        boolean shell = (entry.get(0).equals("sh") || entry.get(0).equals("/bin/sh") || entry.get(0).equals("bash")
                || entry.get(0).equals("/bin/bash")) && entry.size() >= 3 && entry.get(1).equals("-c");
        if (!shell) {
            return java.util.Optional.empty();
        }
        Map<String, String> env = new LinkedHashMap<>(d.env());
        env.putAll(s.environment());
        String script = entry.get(2).trim().replaceFirst("^exec\\s+", "");
        List<String> words = new ArrayList<>();
        for (String word : script.split("\\s+")) {
            if (word.equals("\"$@\"") || word.equals("$@")) {
                words.addAll(args);
                continue;
            }
            String expanded = Dockerfile.expand(word, env);
            if (word.startsWith("$") && !word.startsWith("\"")) {
                for (String w : expanded.trim().split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w);
                    }
                }
            } else if (!expanded.isEmpty()) {
                words.add(expanded.replaceAll("^\"|\"$", ""));
            }
        }
        if (words.isEmpty() || !(words.get(0).equals("java") || words.get(0).endsWith("/java"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(words);
    }

    private ServicePlan java(ServiceModel m, Dockerfile d) {
        ComposeFile.Service s = m.service();
        List<String> command = javaCommand(d, s).orElseThrow();
        List<String> program = new ArrayList<>();
        program.add(javaBinary());
        boolean heapGiven = command.stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAMPercentage"));
        if (!heapGiven) {
            program.add("-Xmx256m");
        }
        program.add("-Djdk.net.hosts.file=" + hostsFile(s.name()));
        for (String a : command.subList(1, command.size())) {
            if (a.startsWith("-XX:MaxRAMPercentage")) {
                program.add("-Xmx256m"); // a share of this machine's memory, not of a container's: a fixed bound instead
                continue;
            }
            if (JvmOptions.isSharedArchive(a)) {
                JvmOptions.sharedArchive(d, a).ifPresent(program::add);
                continue;
            }
            Path local = d.local(a);
            if (local != null) {
                if (!Files.exists(local)) {
                    throw new ComposeException(s.where() + ": service " + s.name() + ": its image needs " + local
                            + ", which is not built yet: build it with ./mvnw -q -DskipTests package");
                }
                program.add(local.toString());
            } else {
                program.add(translatePaths(s, a));
            }
        }
        Map<String, String> env = new LinkedHashMap<>(d.env());
        env.putAll(environment(m));
        env.putIfAbsent("SERVER_ADDRESS", "{ip}");
        env.putIfAbsent("INSTANCE_NAME", "{hostname}");
        env.putIfAbsent("INSTANCE_REPLICA", "{number}");
        List<Integer> ports = new ArrayList<>(d.exposed());
        if (env.containsKey("SERVER_PORT")) {
            int port = Integer.parseInt(env.get("SERVER_PORT").trim());
            env.put("SERVER_PORT", String.valueOf(listenPort(port)));
            ports.remove(Integer.valueOf(port));
            ports.add(0, port);
        }
        return new ServicePlan(m, ServicePlan.Kind.JAVA, program, env, d.path().getParent(), ports,
                healthOf(m, ports.isEmpty() ? 8080 : ports.get(0)), timing(m), 0, List.of(), null);
    }

    private static HealthProbe healthOf(ServiceModel m, int fallbackPort) {
        return m.health().map(h -> HealthProbe.of(h.test(), fallbackPort)).orElse(null);
    }

    /** The health check's timing; Docker's defaults without one. */
    private static ServicePlan.HealthTiming timing(ServiceModel m) {
        return m.health().map(h -> new ServicePlan.HealthTiming(h.interval(), h.timeout(), h.retries(), h.startPeriod()))
                .orElse(new ServicePlan.HealthTiming(Duration.ofSeconds(30), Duration.ofSeconds(30), 3, Duration.ZERO));
    }

    /** The compose environment with service names turned into addresses ({@code {addr:service}} placeholders). */
    private Map<String, String> environment(ServiceModel m) {
        Map<String, String> env = new LinkedHashMap<>();
        m.environment().forEach((k, v) -> env.put(k, translateNames(v)));
        return env;
    }

    /**
     * {@code http://reverse-proxy/app1} → {@code http://{addr:reverse-proxy:80}/app1};
     * {@code jdbc:mysql://db:3306/x} → {@code jdbc:mysql://{addr:db:3306}/x}. Resolved per container.
     */
    String translateNames(String value) {
        String out = value;
        for (String name : compose.services().keySet()) {
            Pattern p = Pattern.compile("(?<=//|@)" + Pattern.quote(name) + "(?::(\\d+))?(?=[/:?#;,]|$)");
            Matcher m = p.matcher(out);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String port = m.group(1);
                int defaultPort = out.startsWith("https") ? 443 : out.startsWith("jdbc:mysql") || out.startsWith("jdbc:mariadb") ? 3306 : 80;
                m.appendReplacement(b, Matcher.quoteReplacement("{addr:" + name + ":" + (port == null ? defaultPort : port)
                        + (port == null ? ":implicit" : "") + "}"));
            }
            m.appendTail(b);
            out = b.toString();
        }
        return out;
    }

    /** Where {@code containerPath} of service {@code s} is on this machine, or the path itself if nowhere. */
    String translatePath(ComposeFile.Service s, String containerPath) {
        return translatePaths(s, containerPath);
    }

    /** Paths inside the container under a volume become the volume's directory in the lab state folder. */
    private String translatePaths(ComposeFile.Service s, String arg) {
        int eq = arg.indexOf('=');
        String value = eq < 0 ? arg : arg.substring(eq + 1);
        if (!value.startsWith("/")) {
            return arg;
        }
        for (ComposeFile.Volume v : s.volumes()) {
            if (v.target().equals("/var/run/docker.sock")) {
                continue;
            }
            if (value.equals(v.target()) || value.startsWith(v.target() + "/")) {
                Path base = v.named() ? stateDir.resolve("volumes").resolve(v.source())
                        : compose.directory().resolve(v.source()).normalize();
                String local = base + value.substring(v.target().length());
                return eq < 0 ? local : arg.substring(0, eq + 1) + local;
            }
        }
        if (value.startsWith("/var/log/") || value.startsWith("/tmp/") || value.startsWith("/data/")) {
            String local = stateDir.resolve("fs").resolve(s.name()) + value;
            return eq < 0 ? local : arg.substring(0, eq + 1) + local;
        }
        return arg;
    }

    /** The names a service's containers resolve (see {@link Networks#hostsFile}). */
    Path hostsFile(String service) {
        return stateDir.resolve("hosts-" + service);
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}

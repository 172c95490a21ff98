package dev.switchboard.lab.model;

import dev.switchboard.lab.compose.ComposeException;
import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.compose.Dockerfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A running lab as both backends start it, worked out once from the compose file: its services in
 * start order with their {@code depends_on} conditions, networks, health checks and Dockerfiles; the
 * proxy and its flags; the environment each container gets. The simulated topology and the
 * containers backend both start from this model, so a file's mistake (a dependency on a missing
 * service, a cycle, an undeclared network, a flag the proxy rejects) is found once, with one
 * message, whichever runs it.
 */
public final class LabModel {
    /** The proxy's behaviour profile variable (issue: Traefik's behaviour by default, improvements on request). */
    public static final String PROFILE_VARIABLE = "SWITCHBOARD_PROFILE";
    private static final Pattern TRAEFIK = Pattern.compile("(docker\\.io/)?(library/)?traefik(:[^/]*|@.*)?");

    private final ComposeFile compose;
    private final Map<String, ServiceModel> services;
    private final List<String> startOrder;
    private final String profile;

    private LabModel(ComposeFile compose, Map<String, ServiceModel> services, List<String> startOrder, String profile) {
        this.compose = compose;
        this.services = services;
        this.startOrder = startOrder;
        this.profile = profile;
    }

    /** The model of {@code compose} with the proxy's default profile. */
    public static LabModel of(ComposeFile compose) {
        return of(compose, null);
    }

    /**
     * The model of {@code compose}; a non-null {@code profile} ({@code traefik} or {@code switchboard})
     * goes to the proxy as {@code SWITCHBOARD_PROFILE}, leaving its {@code command:} as the file has it.
     */
    public static LabModel of(ComposeFile compose, String profile) {
        checkDeclarations(compose);
        Map<String, ServiceModel> services = new LinkedHashMap<>();
        int index = 1;
        for (ComposeFile.Service s : compose.services().values()) {
            services.put(s.name(), service(compose, s, index++, profile));
        }
        return new LabModel(compose, services, startOrder(compose, services), profile);
    }

    public ComposeFile compose() {
        return compose;
    }

    public String project() {
        return compose.project();
    }

    /** The profile the proxy runs with, if the lab was asked for one. */
    public Optional<String> profile() {
        return Optional.ofNullable(profile);
    }

    /** Services in file order. */
    public Collection<ServiceModel> services() {
        return services.values();
    }

    /** Service names in an order that starts every service after what it depends on. */
    public List<String> startOrder() {
        return startOrder;
    }

    public ServiceModel service(String name) {
        ServiceModel s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service \"" + name + "\" in " + compose.file().getFileName()
                    + " (services: " + String.join(", ", services.keySet()) + ")");
        }
        return s;
    }

    public boolean has(String name) {
        return services.containsKey(name);
    }

    /** The proxies of the lab (usually one). */
    public List<ProxyModel> proxies() {
        return services.values().stream().flatMap(s -> s.proxy().stream()).toList();
    }

    /**
     * How long to wait, once every container is healthy, before the proxies' configuration shows the
     * last Docker events: the longest {@code providersThrottleDuration} a proxy sets, else Traefik's
     * default 2 s (the {@code traefik} profile's; the switchboard profile's 100 ms is within it), and
     * half a second to apply it.
     */
    public java.time.Duration providersSettle() {
        java.time.Duration longest = java.time.Duration.ofSeconds(2);
        for (ProxyModel p : proxies()) {
            java.time.Duration given = p.config().map(c -> c.providers().providersThrottleDuration()).orElse(null);
            if (given != null && given.compareTo(longest) > 0) {
                longest = given;
            }
        }
        return longest.plusMillis(500);
    }

    /** Whether {@code a} reaches {@code b} by name: they share a network. */
    public boolean shareNetwork(String a, String b) {
        return service(a).networks().stream().anyMatch(service(b).networks()::contains);
    }

    /** {@code image: traefik:v3.2} and the like: the images Switchboard's proxy stands in for. */
    public static boolean isTraefikImage(String image) {
        return image != null && TRAEFIK.matcher(image.toLowerCase(Locale.ROOT)).matches();
    }

    /** A service that runs the proxy: {@code image: traefik}, the kit's proxy image, or a build that copies the proxy's jar. */
    static boolean runsProxy(ComposeFile.Service s, Dockerfile d) {
        if (isTraefikImage(s.image()) || s.image() != null && s.image().startsWith("switchboard/proxy")) {
            return true;
        }
        return d != null && d.copies().values().stream().anyMatch(p -> p.getFileName().toString().startsWith("switchboard-proxy"));
    }

    private static ServiceModel service(ComposeFile compose, ComposeFile.Service s, int index, String profile) {
        Dockerfile dockerfile = null;
        ComposeException problem = null;
        if (s.build() != null) {
            Path df = s.build().context().resolve(s.build().dockerfile()).normalize();
            if (!Files.isRegularFile(df)) {
                throw new ComposeException(s.where() + ": service " + s.name() + ": build needs " + df + ", which does not exist");
            }
            try {
                dockerfile = Dockerfile.parse(s.build().context(), df, s.build().args());
            } catch (ComposeException e) {
                problem = e; // beyond the simulation's reading (several stages): Docker builds it all the same
            }
        }
        List<Dependency> deps = new ArrayList<>();
        s.dependsOn().forEach((dep, condition) -> deps.add(new Dependency(dep, Dependency.Condition.of(condition).orElseThrow(() ->
                new ComposeException(s.where() + ": service " + s.name() + ": depends_on " + dep + ": condition \"" + condition
                        + "\" is not one of service_started, service_healthy, service_completed_successfully")))));
        Set<String> networks = s.networks().isEmpty() ? Set.of("default") : new LinkedHashSet<>(s.networks());
        Optional<ProxyModel> proxy = runsProxy(s, dockerfile) ? Optional.of(ProxyModel.of(s)) : Optional.empty();
        Map<String, String> environment = new LinkedHashMap<>(s.environment());
        if (proxy.isPresent() && profile != null) {
            environment.put(PROFILE_VARIABLE, profile);
        }
        return new ServiceModel(s, index, List.copyOf(deps), networks, Optional.ofNullable(dockerfile), problem,
                health(s, dockerfile), proxy, environment);
    }

    private static Optional<Health> health(ComposeFile.Service s, Dockerfile d) {
        if (s.healthcheck() != null) {
            ComposeFile.HealthCheck h = s.healthcheck();
            if (h.disabled() || h.test().isEmpty() || h.test().get(0).equals("NONE")) {
                return Optional.empty();
            }
            return Optional.of(new Health(h.test(), h.interval(), h.timeout(), h.retries(), h.startPeriod(), "compose"));
        }
        if (d != null && d.healthcheck() != null) {
            Map<String, String> env = new LinkedHashMap<>(d.env());
            env.putAll(s.environment());
            Dockerfile.HealthTest h = d.healthcheck();
            return Optional.of(new Health(h.test().stream().map(t -> Dockerfile.expand(t, env)).toList(), h.interval(),
                    h.timeout(), h.retries(), h.startPeriod(), d.path().toString()));
        }
        return Optional.empty();
    }

    /** Networks and named volumes a service uses must be declared at the top level, as compose requires. */
    private static void checkDeclarations(ComposeFile compose) {
        for (ComposeFile.Service s : compose.services().values()) {
            for (String dep : s.dependsOn().keySet()) {
                if (!compose.services().containsKey(dep)) {
                    throw new ComposeException(s.where() + ": service " + s.name() + " depends on \"" + dep
                            + "\", which is not a service of this file (services: " + String.join(", ", compose.services().keySet()) + ")");
                }
            }
            for (String n : s.networks()) {
                if (!compose.networks().contains(n) && !n.equals("default")) {
                    throw new ComposeException(s.where() + ": service " + s.name() + " uses network \"" + n
                            + "\", which is not declared under the top-level networks: (" + String.join(", ", compose.networks()) + ")");
                }
            }
            for (ComposeFile.Volume v : s.volumes()) {
                if (v.named() && !compose.volumes().contains(v.source())) {
                    throw new ComposeException(s.where() + ": service " + s.name() + " mounts volume \"" + v.source()
                            + "\", which is not declared under the top-level volumes: (for a folder of the lab, write ./"
                            + v.source() + ")");
                }
            }
        }
    }

    /** Dependencies first; a cycle is the file's mistake. */
    private static List<String> startOrder(ComposeFile compose, Map<String, ServiceModel> services) {
        List<String> order = new ArrayList<>();
        Map<String, Boolean> done = new HashMap<>();
        for (String s : services.keySet()) {
            visit(compose, services, s, done, order, new ArrayList<>());
        }
        for (ServiceModel s : services.values()) {
            for (Dependency d : s.dependsOn()) {
                if (d.condition() == Dependency.Condition.HEALTHY && services.get(d.service()).knownWithoutHealthCheck()) {
                    throw new ComposeException(s.where() + ": service " + s.name() + " waits for " + d.service()
                            + " to be healthy, but " + d.service() + " has no healthcheck (add one, or use condition: service_started)");
                }
            }
        }
        return List.copyOf(order);
    }

    private static void visit(ComposeFile compose, Map<String, ServiceModel> services, String s, Map<String, Boolean> done,
            List<String> order, List<String> path) {
        Boolean finished = done.get(s);
        if (Boolean.TRUE.equals(finished)) {
            return;
        }
        path.add(s);
        if (finished != null) {
            throw new ComposeException(compose.file() + ": depends_on forms a cycle: " + String.join(" -> ", path));
        }
        done.put(s, false);
        for (Dependency dep : services.get(s).dependsOn()) {
            visit(compose, services, dep.service(), done, order, path);
        }
        path.remove(path.size() - 1);
        done.put(s, true);
        order.add(s);
    }
}

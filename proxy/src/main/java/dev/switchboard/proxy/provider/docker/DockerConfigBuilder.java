package dev.switchboard.proxy.provider.docker;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.Suggestions;
import dev.switchboard.proxy.config.dynamic.DynamicConfig;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Middleware;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.ServersTransport;
import dev.switchboard.proxy.config.dynamic.Service;
import dev.switchboard.proxy.config.dynamic.TlsConfig;
import dev.switchboard.proxy.rules.RuleException;
import dev.switchboard.proxy.rules.RuleParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the containers the engine reports into one dynamic configuration, with Traefik's
 * conventions (pkg/provider/docker/config.go):
 * <ul>
 * <li>the service name is {@code <compose service>_<compose project>} normalized
 * ({@code app1-demo}), else the container name;</li>
 * <li>a container without service labels gets one load-balancer service of that name, and without
 * router labels one router of that name whose rule is {@code defaultRule};</li>
 * <li>the server's port is the {@code loadbalancer.server.port} label, else the lowest exposed TCP
 * port, else the container is skipped ({@code port is missing}); its address is the container's on
 * the network named by {@code traefik.docker.network}, else {@code --providers.docker.network},
 * else its only (or first) network;</li>
 * <li>containers that define the same service (the replicas of a compose service) are merged into
 * one service with a server each; a router, middleware or service that two containers define
 * differently is left out and reported;</li>
 * <li>stopped containers and those whose Docker healthcheck is {@code starting} or
 * {@code unhealthy} get no traffic; a paused container stays a server, as in Traefik v3.2 (with
 * {@link Options#pausedIsStopped}, and for containers the provider knows to be stopping, it does not).</li>
 * </ul>
 * Problems a student can fix come back as {@link Warning}s naming the containers, the label and
 * the fix. The builder is a pure function of its inputs, so tests and the simulated topology can
 * call it directly.
 */
public final class DockerConfigBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(DockerConfigBuilder.class);

    /** The provider options that shape the configuration. */
    public record Options(boolean exposedByDefault, String network, Constraints constraints, boolean allowEmptyServices,
            boolean useBindPortIP, RuleTemplate defaultRule, boolean pausedIsStopped) {

        /** Traefik v3.2's behaviour: a paused container is still a server. */
        public static Options of(StaticConfig.DockerProvider c) {
            return new Options(c.exposedByDefault(), c.network() == null || c.network().isBlank() ? null : c.network(),
                    Constraints.lenient(c.constraints()), c.allowEmptyServices(), c.useBindPortIP(),
                    RuleTemplate.parse(c.defaultRule()), false);
        }

        /** With {@code true}, a paused container gets no traffic (Switchboard only; Traefik keeps it). */
        public Options pausedIsStopped(boolean stopped) {
            return new Options(exposedByDefault, network, constraints, allowEmptyServices, useBindPortIP, defaultRule, stopped);
        }
    }

    /**
     * A problem with some containers' labels: one log line naming them, the label and the fix.
     *
     * @param label the label (or flag) it is about
     */
    public record Warning(List<String> containers, String label, String message) {
        public String line() {
            return (containers.size() == 1 ? "container " : "containers ") + String.join(", ", containers) + ": " + message;
        }
    }

    /** The configuration, where each element came from ({@code routers/app1} to its containers), and the warnings. */
    public record Result(DynamicConfig config, Map<String, String> sources, List<Warning> warnings) {
    }

    private final Options options;
    /** The proxy's own container during a build, or null. */
    private DockerContainer self;

    public DockerConfigBuilder(Options options) {
        this.options = options;
    }

    /**
     * Builds the configuration of {@code containers}; those in {@code goingDown} (killed, stopping,
     * paused, by the events seen) are treated as stopped whatever their state says.
     */
    public Result build(Collection<DockerContainer> containers, Set<String> goingDown) {
        return build(containers, goingDown, null);
    }

    /**
     * As {@link #build(Collection, Set)}, knowing which container the proxy itself runs in
     * ({@code selfId}, or null when it runs outside Docker): a container on several networks is
     * then reached on one it shares with the proxy, and one that shares none is named, since
     * requests to it would time out. Traefik knows neither.
     */
    public synchronized Result build(Collection<DockerContainer> containers, Set<String> goingDown, String selfId) {
        self = selfId == null ? null : containers.stream().filter(c -> c.id().equals(selfId)).findFirst().orElse(null);
        Warnings warnings = new Warnings();
        Map<String, DockerContainer> byKey = new TreeMap<>();
        Map<String, DockerContainer> byIdOrName = new LinkedHashMap<>();
        for (DockerContainer c : containers) {
            // Traefik orders by service name and id; the name first makes servers and messages read in replica order.
            byKey.put(serviceName(c) + "/" + c.name() + "/" + c.id(), c);
            byIdOrName.put(c.id(), c);
            byIdOrName.put(c.name(), c);
        }
        Map<String, ContainerConfig> configs = new TreeMap<>();
        byKey.forEach((key, c) -> {
            ContainerConfig cc = containerConfig(c, byIdOrName, goingDown.contains(c.id()), warnings);
            if (cc != null) {
                configs.put(key, cc);
            }
        });
        return merge(configs.values(), warnings);
    }

    /** One container's part of the configuration. */
    private record ContainerConfig(DockerContainer container, Map<String, Router> routers, Map<String, Service> services,
            Map<String, Middleware> middlewares, Map<String, ServersTransport> transports, TlsConfig.Store defaultStore) {
    }

    private ContainerConfig containerConfig(DockerContainer c, Map<String, DockerContainer> all, boolean down, Warnings w) {
        String service = serviceName(c);
        String example = c.composeService() != null ? normalize(c.composeService()) : service;
        LabelParser.Parsed p = LabelParser.parse(c.labels(), example);
        boolean student = p.hasTraefikLabels();
        for (LabelParser.Problem problem : p.warnings()) {
            w.add(c, problem.label(), problem.message());
        }
        boolean enabled = p.enable() != null ? p.enable() : options.exposedByDefault();
        if (!enabled) {
            if (p.enable() == null && p.hasHttpLabels()) {
                w.add(c, "traefik.enable", "has traefik.http.* labels but no traefik.enable=true, and "
                        + "--providers.docker.exposedByDefault=false routes only containers with that label: add the label "
                        + "traefik.enable=true");
            }
            LOG.debug("container {}: not exposed", c.name());
            return null;
        }
        if (!p.errors().isEmpty()) {
            for (LabelParser.Problem problem : p.errors()) {
                w.add(c, problem.label(), problem.message() + " (the container gets no route until its labels are fixed)");
            }
            return null;
        }
        if (options.constraints().error() != null) {
            w.add(c, "--providers.docker.constraints", "not routed: " + options.constraints().error()
                    + " (as in Traefik, no container is routed until the expression is fixed)");
            return null;
        }
        if (!options.constraints().matches(c.labels())) {
            LOG.debug("container {}: left out by --providers.docker.constraints={}", c.name(), options.constraints());
            return null;
        }
        boolean running = (options.pausedIsStopped() ? c.isRunning() : c.isUp()) && !down;
        boolean healthy = c.health().isEmpty() || c.health().equals("healthy");
        if (!p.allowNonRunning()) {
            if (!running) {
                LOG.debug("container {}: not running ({}{})", c.name(), c.status(), down ? ", stopping" : "");
                return null;
            }
            if (!healthy && !options.allowEmptyServices()) {
                LOG.debug("container {}: health {}, no traffic until healthy", c.name(), c.health());
                return null;
            }
        }

        Map<String, Service> services = new LinkedHashMap<>(p.http().services());
        if (services.isEmpty()) {
            services.put(service, new Service.LoadBalancer(null, null, null, null, null, null, null, null));
        }
        if (running && healthy) {
            for (Map.Entry<String, Service> e : services.entrySet()) {
                if (e.getValue() instanceof Service.LoadBalancer lb) {
                    Service.Server server = server(c, p, e.getKey(), all, student, w);
                    if (server == null) {
                        return null;
                    }
                    e.setValue(lb.withServers(List.of(server)));
                }
            }
        }

        Map<String, Router> routers = new LinkedHashMap<>(p.http().routers());
        if (routers.isEmpty()) {
            if (services.size() > 1) {
                w.addIf(student, c, "traefik.http.routers", "defines the services " + String.join(", ", services.keySet())
                        + " but no router, and a router is made automatically only for one service: add "
                        + "traefik.http.routers.<name>.rule=... and traefik.http.routers.<name>.service=<one of them>");
            } else {
                routers.put(service, new Router(null, null, null, null, null, null, null));
            }
        }
        RuleTemplate.Model model = new RuleTemplate.Model(service, c.name(), c.labels());
        for (Map.Entry<String, Router> e : new ArrayList<>(routers.entrySet())) {
            String name = e.getKey();
            Router r = e.getValue();
            String ruleLabel = "traefik.http.routers." + name + ".rule";
            if (r.rule() == null || r.rule().isBlank()) {
                String rule;
                try {
                    rule = options.defaultRule().execute(model);
                } catch (ConfigException ex) {
                    w.addIf(student, c, "--providers.docker.defaultRule", "router " + name + " has no rule and "
                            + ex.getMessage() + ": add the label " + ruleLabel + "=Host(`...`)");
                    routers.remove(name);
                    continue;
                }
                if (rule.isBlank()) {
                    w.addIf(student, c, ruleLabel, "router " + name + " has no rule and --providers.docker.defaultRule gives "
                            + "none for this container: add the label " + ruleLabel + "=Host(`...`)");
                    routers.remove(name);
                    continue;
                }
                r = r.withRule(rule);
                ruleLabel = "--providers.docker.defaultRule";
            }
            try {
                RuleParser.parse(r.rule());
            } catch (RuleException ex) {
                // Kept: the router shows in the API with this error; this line names the label to fix.
                w.addIf(student, c, ruleLabel, (ruleLabel.startsWith("--") ? "the default rule " : "label " + ruleLabel + "=")
                        + r.rule() + ": " + ex.getMessage());
            }
            if (r.service() == null || r.service().isBlank()) {
                if (services.size() != 1) {
                    w.addIf(student, c, "traefik.http.routers." + name + ".service", "router " + name
                            + " does not say which service it sends to, and the container defines " + services.size()
                            + " (" + String.join(", ", services.keySet()) + "): add the label traefik.http.routers."
                            + name + ".service=<one of them>");
                    routers.remove(name);
                    continue;
                }
                r = r.withService(services.keySet().iterator().next());
            }
            routers.put(name, r);
        }
        return new ContainerConfig(c, routers, services, p.http().middlewares(), p.http().serversTransports(), p.defaultStore());
    }

    /** The one server a container is for a service: URL from the labels, or scheme://ip:port. */
    private Service.Server server(DockerContainer c, LabelParser.Parsed p, String serviceName, Map<String, DockerContainer> all,
            boolean student, Warnings w) {
        LabelParser.ServerLabels labels = p.server(serviceName);
        String prefix = "traefik.http.services." + serviceName + ".loadbalancer.server";
        if (labels.url() != null && !labels.url().isBlank()) {
            if (labels.port() != null || labels.scheme() != null) {
                w.addIf(student, c, prefix + ".url", "label " + prefix + ".url cannot be combined with " + prefix
                        + ".port or .scheme (the URL already says both): keep one");
                return null;
            }
            return new Service.Server(labels.url().trim(), labels.weight(), labels.preservePath());
        }
        // An empty port label is no port: the lowest exposed one, as in Traefik (getPort with an empty serverPort).
        String port = labels.port() != null && !labels.port().isBlank() ? labels.port().trim() : lowestTcpPort(c);
        if (port == null) {
            w.addIf(student, c, prefix + ".port", "no port to send requests to (port is missing): the image exposes none "
                    + "and no label gives one. Add the label " + prefix + ".port=<the port the application listens on "
                    + "inside the container, e.g. 8081>; the container gets no route until then");
            return null;
        }
        String ip = null;
        if (options.useBindPortIP()) {
            for (DockerContainer.Port bound : c.ports()) {
                if (String.valueOf(bound.number()).equals(port) && bound.hostPort() != null && !bound.hostPort().isEmpty()
                        && bound.hostIp() != null && !bound.hostIp().isEmpty() && !bound.hostIp().equals("0.0.0.0")
                        && !bound.hostIp().equals("::")) {
                    ip = bound.hostIp();
                    port = bound.hostPort();
                    break;
                }
            }
        }
        if (ip == null) {
            ip = ipAddress(c, p.network(), all, student, w, 0);
        }
        if (ip == null || ip.isEmpty()) {
            w.addIf(student, c, "traefik.docker.network", "has no IP address on any network (network mode \""
                    + c.networkMode() + "\"), so the server is left out: attach the container to a network the proxy is on");
            return null;
        }
        String scheme = labels.scheme() == null || labels.scheme().isBlank() ? "http" : labels.scheme().trim().toLowerCase(Locale.ROOT);
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return new Service.Server(scheme + "://" + host + ":" + port, labels.weight(), labels.preservePath());
    }

    private static String lowestTcpPort(DockerContainer c) {
        for (DockerContainer.Port p : c.ports()) {
            if (p.protocol().equalsIgnoreCase("tcp")) {
                return String.valueOf(p.number());
            }
        }
        return null;
    }

    /** The container's address on the chosen network (see the class comment), warning when the choice is a guess. */
    private String ipAddress(DockerContainer c, String labelNetwork, Map<String, DockerContainer> all, boolean student,
            Warnings w, int depth) {
        String network = labelNetwork != null ? labelNetwork : options.network();
        String source = labelNetwork != null ? "label traefik.docker.network" : "--providers.docker.network";
        String fix = labelNetwork != null ? "traefik.docker.network=" : "--providers.docker.network=";
        if (network != null && !c.networks().isEmpty()) {
            DockerContainer.Network n = c.networks().get(network);
            if (n == null) {
                n = c.networks().values().stream().filter(x -> x.name().equalsIgnoreCase(network)).findFirst().orElse(null);
            }
            if (n != null) {
                return n.ipAddress();
            }
            String project = c.composeProject();
            String prefixed = project == null ? null : project + "_" + network;
            DockerContainer.Network first = c.networks().values().iterator().next();
            if (prefixed != null && c.networks().containsKey(prefixed)) {
                w.addIf(student, c, labelNetwork != null ? "traefik.docker.network" : "--providers.docker.network",
                        source + "=" + network + " names no network of the container: docker compose prefixes network "
                                + "names with the project name, so write " + fix + prefixed
                                + " (or give the network a fixed name with name: in the compose file); using " + prefixed + " meanwhile");
                return c.networks().get(prefixed).ipAddress();
            } else {
                w.addIf(student, c, labelNetwork != null ? "traefik.docker.network" : "--providers.docker.network",
                        source + "=" + network + " names no network of the container, which is on "
                                + String.join(", ", c.networks().keySet()) + ": write " + fix + "<one of them>; using "
                                + first.name() + " meanwhile");
            }
            return first.ipAddress();
        }
        String mode = c.networkMode();
        if (mode.equals("host")) {
            return "127.0.0.1";
        }
        if (mode.startsWith("container:") && depth < 5) {
            String target = mode.substring("container:".length());
            DockerContainer other = all.get(target);
            if (other == null) {
                other = all.values().stream().filter(o -> o.id().startsWith(target)).findFirst().orElse(null);
            }
            if (other == null) {
                w.addIf(student, c, "traefik.docker.network", "shares the network of container " + target
                        + ", which the engine does not list, so it has no address");
                return null;
            }
            LabelParser.Parsed otherLabels = LabelParser.parse(other.labels(), other.name());
            return ipAddress(other, otherLabels.network() != null ? otherLabels.network() : labelNetwork, all, student, w, depth + 1);
        }
        if (c.networks().isEmpty()) {
            return null;
        }
        if (self != null && c != self && depth == 0) {
            List<DockerContainer.Network> shared = c.networks().values().stream()
                    .filter(n -> self.networks().containsKey(n.name())).toList();
            if (shared.isEmpty()) {
                w.addIf(student, c, "networks", "shares no network with the proxy (container " + self.name() + ", on "
                        + String.join(", ", self.networks().keySet()) + "; this container is on "
                        + String.join(", ", c.networks().keySet()) + "), so requests to it time out: put both services on "
                        + "one network in the compose file (networks: - shared-network)");
            } else {
                return shared.get(0).ipAddress();
            }
        }
        if (c.networks().size() > 1 && depth == 0) {
            DockerContainer.Network first = c.networks().values().iterator().next();
            w.addIf(student, c, "traefik.docker.network", "is on several networks (" + String.join(", ", c.networks().keySet())
                    + ") and nothing says which one the proxy reaches it on; using " + first.name()
                    + ". If the proxy is not on " + first.name() + ", requests time out: add the label traefik.docker.network=<the network the proxy shares>");
        }
        return c.networks().values().iterator().next().ipAddress();
    }

    private Result merge(Collection<ContainerConfig> configs, Warnings w) {
        Merged<Router> routers = new Merged<>("router", "routers", Objects::equals);
        Merged<Middleware> middlewares = new Merged<>("middleware", "middlewares", Objects::equals);
        Merged<ServersTransport> transports = new Merged<>("serversTransport", "serversTransports", Objects::equals);
        Merged<Service> services = new Merged<>("service", "services", DockerConfigBuilder::mergeable);
        Merged<TlsConfig.Store> stores = new Merged<>("TLS store", "tls.stores", Objects::equals);
        for (ContainerConfig cc : configs) {
            cc.routers().forEach((name, r) -> routers.add(name, r, cc.container()));
            cc.middlewares().forEach((name, m) -> middlewares.add(name, m, cc.container()));
            cc.transports().forEach((name, t) -> transports.add(name, t, cc.container()));
            cc.services().forEach((name, s) -> {
                Service existing = services.values.get(name);
                if (existing instanceof Service.LoadBalancer a && s instanceof Service.LoadBalancer b && mergeable(a, b)) {
                    List<Service.Server> servers = new ArrayList<>(a.servers());
                    Set<String> urls = new LinkedHashSet<>();
                    a.servers().forEach(x -> urls.add(x.url()));
                    b.servers().stream().filter(x -> urls.add(x.url())).forEach(servers::add);
                    services.values.put(name, a.withServers(servers));
                }
                services.add(name, s, cc.container());
            });
            if (cc.defaultStore() != null) {
                stores.add("default", cc.defaultStore(), cc.container());
            }
        }
        for (Merged<?> m : List.of(routers, middlewares, transports, services, stores)) {
            m.reportConflicts(w);
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (Merged<?> m : List.of(routers, middlewares, transports, services)) {
            m.origins.forEach((name, containers) -> sources.put(m.section + "/" + name, describe(containers)));
        }
        checkReferences(routers, middlewares, services, w);
        HttpConfig http = new HttpConfig(routers.values, services.values, middlewares.values, transports.values);
        TlsConfig tls = stores.values.isEmpty() ? null : new TlsConfig(null, stores.values, null);
        return new Result(new DynamicConfig(http, tls), sources, w.grouped());
    }

    private static boolean mergeable(Service a, Service b) {
        if (a instanceof Service.LoadBalancer x && b instanceof Service.LoadBalancer y) {
            return x.withServers(List.of()).equals(y.withServers(List.of()));
        }
        return a.equals(b);
    }

    /** Unqualified references must name an element some container defines: say which label is wrong. */
    private static void checkReferences(Merged<Router> routers, Merged<Middleware> middlewares, Merged<Service> services,
            Warnings w) {
        routers.values.forEach((name, r) -> {
            for (String m : r.middlewares()) {
                String local = local(m);
                if (local != null && !middlewares.values.containsKey(local)) {
                    for (DockerContainer c : routers.origins.get(name)) {
                        w.add(c, "traefik.http.routers." + name + ".middlewares", missing("middleware", local,
                                "traefik.http.routers." + name + ".middlewares", middlewares,
                                "traefik.http.middlewares." + local + ".<kind>.<option>, e.g. traefik.http.middlewares." + local
                                        + ".stripprefix.prefixes=/" + name));
                    }
                }
            }
            String local = local(r.service());
            if (local != null && !services.values.containsKey(local)) {
                for (DockerContainer c : routers.origins.get(name)) {
                    w.add(c, "traefik.http.routers." + name + ".service", missing("service", local,
                            "traefik.http.routers." + name + ".service", services,
                            "traefik.http.services." + local + ".loadbalancer.server.port=<port>"));
                }
            }
        });
        middlewares.values.forEach((name, m) -> {
            if (m instanceof Middleware.Chain chain) {
                for (String ref : chain.middlewares()) {
                    String local = local(ref);
                    if (local != null && !middlewares.values.containsKey(local)) {
                        for (DockerContainer c : middlewares.origins.get(name)) {
                            w.add(c, "traefik.http.middlewares." + name + ".chain.middlewares", missing("middleware", local,
                                    "traefik.http.middlewares." + name + ".chain.middlewares", middlewares,
                                    "traefik.http.middlewares." + local + ".<kind>.<option>"));
                        }
                    }
                }
            }
        });
    }

    /** The name within this provider, or null for a reference to another provider ({@code auth@file}). */
    private static String local(String ref) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        String r = ref.trim();
        if (r.endsWith("@docker")) {
            return r.substring(0, r.length() - "@docker".length());
        }
        return r.contains("@") ? null : r;
    }

    private static String missing(String kind, String name, String label, Merged<?> defined, String defineWith) {
        StringBuilder sb = new StringBuilder("label ").append(label).append(" names the ").append(kind).append(" \"")
                .append(name).append("\", which ");
        if (defined.conflicts.contains(name)) {
            sb.append("is left out because containers define it differently (see the line about it)");
            return sb.toString();
        }
        sb.append("no container defines");
        Suggestions.closest(name, defined.values.keySet()).ifPresent(s -> sb.append(": did you mean ").append(s).append("?"));
        sb.append(" Define it with the label ").append(defineWith).append(", or, if the file provider defines it, write ")
                .append(name).append("@file");
        return sb.toString();
    }

    /** Elements of one kind gathered from every container, with where each came from and the conflicts. */
    private static final class Merged<T> {
        final String kind;
        final String section;
        final BiPredicate<T, T> same;
        final Map<String, T> values = new LinkedHashMap<>();
        final Map<String, List<DockerContainer>> origins = new LinkedHashMap<>();
        final Set<String> conflicts = new LinkedHashSet<>();

        Merged(String kind, String section, BiPredicate<T, T> same) {
            this.kind = kind;
            this.section = section;
            this.same = same;
        }

        void add(String name, T value, DockerContainer from) {
            origins.computeIfAbsent(name, k -> new ArrayList<>()).add(from);
            T existing = values.get(name);
            if (existing == null) {
                values.put(name, value);
            } else if (!same.test(existing, value)) {
                conflicts.add(name);
            }
        }

        void reportConflicts(Warnings w) {
            for (String name : conflicts) {
                values.remove(name);
                List<DockerContainer> from = origins.get(name);
                String prefix = section.equals("tls.stores") ? "traefik.tls.stores." + name + "."
                        : "traefik.http." + section.toLowerCase(Locale.ROOT) + "." + name + ".";
                String differing = differingLabels(from, prefix);
                w.addAll(from, prefix.substring(0, prefix.length() - 1), kind + " \"" + name + "\" is defined differently by "
                        + from.size() + " containers" + (differing.isEmpty() ? "" : " (" + differing + ")")
                        + ", so it is left out: give each definition its own name, or make the labels the same");
            }
        }
    }

    /** The labels under {@code prefix} whose values differ between the containers: {@code rule: a vs b}. */
    private static String differingLabels(List<DockerContainer> containers, String prefix) {
        Map<String, List<String>> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < containers.size(); i++) {
            for (Map.Entry<String, String> l : containers.get(i).labels().entrySet()) {
                if (l.getKey().toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
                    values.computeIfAbsent(l.getKey(), k -> new ArrayList<>(java.util.Collections.nCopies(containers.size(), "(none)")))
                            .set(i, l.getValue());
                }
            }
        }
        List<String> out = new ArrayList<>();
        values.forEach((label, vs) -> {
            if (new LinkedHashSet<>(vs).size() > 1) {
                out.add(label + " is " + String.join(" vs ", new LinkedHashSet<>(vs)));
            }
        });
        return String.join("; ", out);
    }

    private static String describe(List<DockerContainer> containers) {
        List<String> names = containers.stream().map(DockerContainer::name).distinct().toList();
        if (names.size() == 1) {
            return "container " + names.get(0);
        }
        if (names.size() <= 3) {
            return "containers " + String.join(", ", names);
        }
        return "containers " + names.get(0) + ", " + names.get(1) + " and " + (names.size() - 2) + " more";
    }

    /** Warnings of one build, grouped so that replicas with the same problem give one line. */
    private static final class Warnings {
        private final Map<List<String>, List<String>> byProblem = new LinkedHashMap<>();

        void add(DockerContainer c, String label, String message) {
            List<String> containers = byProblem.computeIfAbsent(List.of(label, message), k -> new ArrayList<>());
            if (!containers.contains(c.name())) {
                containers.add(c.name());
            }
        }

        /** Only for containers that asked for routing with traefik.* labels; others get a debug line. */
        void addIf(boolean student, DockerContainer c, String label, String message) {
            if (student) {
                add(c, label, message);
            } else {
                LOG.debug("container {}: {}", c.name(), message);
            }
        }

        void addAll(List<DockerContainer> containers, String label, String message) {
            containers.forEach(c -> add(c, label, message));
        }

        List<Warning> grouped() {
            List<Warning> out = new ArrayList<>();
            byProblem.forEach((k, containers) -> out.add(new Warning(List.copyOf(containers), k.get(0), k.get(1))));
            return out;
        }
    }

    /** Traefik's service name: compose service and project ({@code app1_demo}), else the container name; normalized. */
    public static String serviceName(DockerContainer c) {
        String project = c.composeProject();
        String service = c.composeService();
        return normalize(project != null && service != null ? service + "_" + project : c.name());
    }

    /** Traefik's {@code normalize}: every run of characters other than letters and digits becomes one dash, none at the ends. */
    public static String normalize(String name) {
        StringBuilder sb = new StringBuilder();
        boolean dash = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp) || Character.isDigit(cp)) {
                if (dash && sb.length() > 0) {
                    sb.append('-');
                }
                dash = false;
                sb.appendCodePoint(cp);
            } else {
                dash = true;
            }
        }
        return sb.toString();
    }
}

package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.StaticConfig;
import dev.switchboard.proxy.config.dynamic.HttpConfig;
import dev.switchboard.proxy.config.dynamic.Router;
import dev.switchboard.proxy.config.dynamic.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Traefik's Docker conventions, and the warnings a student gets, on containers described directly. */
class DockerConfigBuilderTest {

    /** A compose container, running, on {@code demo_shared-network} at {@code ip}. */
    private static final class C {
        String id;
        String name;
        final Map<String, String> labels = new LinkedHashMap<>();
        String status = "running";
        String health = "";
        String mode = "demo_shared-network";
        final Map<String, DockerContainer.Network> networks = new LinkedHashMap<>();
        final List<DockerContainer.Port> ports = new ArrayList<>();

        C(String service, int n, String ip) {
            id = service + "-id-" + n;
            name = "demo-" + service + "-" + n;
            labels.put("com.docker.compose.project", "demo");
            labels.put("com.docker.compose.service", service);
            network("demo_shared-network", ip);
        }

        C label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        C expose(int port) {
            ports.add(new DockerContainer.Port(port, "tcp", null, null));
            return this;
        }

        C network(String name, String ip) {
            networks.put(name, new DockerContainer.Network(name, ip, name + "-id"));
            return this;
        }

        DockerContainer get() {
            return new DockerContainer(id, "/" + name, labels, status, health, mode, networks, ports);
        }
    }

    private static StaticConfig.DockerProvider flags(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new StaticConfig.DockerProvider(null, m.containsKey("exposedByDefault") ? Boolean.valueOf(m.get("exposedByDefault")) : null,
                m.get("defaultRule"), m.get("network"), m.get("constraints"), null,
                m.containsKey("allowEmptyServices") ? Boolean.valueOf(m.get("allowEmptyServices")) : null, null, null, null, null);
    }

    private static DockerConfigBuilder.Result build(StaticConfig.DockerProvider options, Set<String> down, C... containers) {
        List<DockerContainer> list = new ArrayList<>();
        for (C c : containers) {
            list.add(c.get());
        }
        return new DockerConfigBuilder(DockerConfigBuilder.Options.of(options)).build(list, down);
    }

    private static DockerConfigBuilder.Result build(C... containers) {
        return build(flags(), Set.of(), containers);
    }

    private static List<String> servers(HttpConfig http, String service) {
        return ((Service.LoadBalancer) http.services().get(service)).servers().stream().map(Service.Server::url).toList();
    }

    private static DockerConfigBuilder.Warning onlyWarning(DockerConfigBuilder.Result r) {
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        return r.warnings().get(0);
    }

    @Test
    void aContainerWithoutLabelsGetsTraefiksImplicitServiceAndRouter() {
        HttpConfig http = build(new C("web", 1, "10.0.0.5").expose(443).expose(80)).config().http();
        assertEquals(List.of("http://10.0.0.5:80"), servers(http, "web-demo"), "the lowest exposed port");
        Router router = http.routers().get("web-demo");
        assertEquals("Host(`web-demo`)", router.rule(), "defaultRule Host(`{{ normalize .Name }}`)");
        assertEquals("web-demo", router.service());
    }

    @Test
    void theDefaultRuleIsATemplate() {
        HttpConfig http = build(flags("defaultRule", "Host(`{{ index .Labels \"com.docker.compose.service\" }}.localhost`)"),
                Set.of(), new C("web", 1, "10.0.0.5").expose(80)).config().http();
        assertEquals("Host(`web.localhost`)", http.routers().get("web-demo").rule());
    }

    @Test
    void replicasOfOneServiceBecomeOneServiceWithAServerEach() {
        C[] replicas = new C[4];
        for (int n = 1; n <= 4; n++) {
            replicas[n - 1] = new C("app1", n, "10.0.0." + (10 + n)).label("traefik.enable", "true")
                    .label("traefik.http.routers.app1.rule", "Host(`app1.localhost`)")
                    .label("traefik.http.services.app1.loadbalancer.server.port", "8081");
        }
        DockerConfigBuilder.Result r = build(replicas);
        assertEquals(List.of("http://10.0.0.11:8081", "http://10.0.0.12:8081", "http://10.0.0.13:8081", "http://10.0.0.14:8081"),
                servers(r.config().http(), "app1"));
        assertEquals(Set.of("app1"), r.config().http().routers().keySet());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertEquals("containers demo-app1-1, demo-app1-2 and 2 more", r.sources().get("services/app1"));
    }

    @Test
    void portLabelSchemeAndWeightShapeTheServer() {
        HttpConfig http = build(new C("api", 1, "10.0.0.7").expose(80)
                .label("traefik.http.services.api.loadbalancer.server.port", "8443")
                .label("traefik.http.services.api.loadbalancer.server.scheme", "https")
                .label("traefik.http.services.api.loadbalancer.server.weight", "3")).config().http();
        Service.Server server = ((Service.LoadBalancer) http.services().get("api")).servers().get(0);
        assertEquals("https://10.0.0.7:8443", server.url());
        assertEquals(3, server.weight());
        assertEquals("api", http.routers().get("api-demo").service(), "the implicit router sends to the one service");
    }

    /**
     * Lab 2's weights: a second compose service adds its container to app1's service with a weight of
     * its own. Traefik merges load balancers that differ only by their servers ({@code ServersLoadBalancer.Merge}),
     * and the weight belongs to the server, so both services' servers keep theirs.
     */
    @Test
    void twoComposeServicesAddServersWithTheirOwnWeightsToOneService() {
        C replica = new C("app1", 1, "10.0.0.11").label("traefik.enable", "true")
                .label("traefik.http.routers.app1.rule", "Host(`app1.localhost`)")
                .label("traefik.http.services.app1.loadbalancer.server.port", "8081");
        C large = new C("app1-large", 1, "10.0.0.21").label("traefik.enable", "true")
                .label("traefik.http.routers.app1.rule", "Host(`app1.localhost`)")
                .label("traefik.http.services.app1.loadbalancer.server.port", "8081")
                .label("traefik.http.services.app1.loadbalancer.server.weight", "3");
        DockerConfigBuilder.Result r = build(replica, large);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertEquals(Set.of("app1"), r.config().http().routers().keySet(), "the same router from both: one router");
        List<Service.Server> servers = ((Service.LoadBalancer) r.config().http().services().get("app1")).servers();
        assertEquals(List.of("http://10.0.0.11:8081", "http://10.0.0.21:8081"), servers.stream().map(Service.Server::url).toList());
        assertEquals(List.of(1, 3), servers.stream().map(Service.Server::weight).toList());
    }

    @Test
    void noPortIsOneWarningNamingTheLabelAndTheFix() {
        DockerConfigBuilder.Result r = build(new C("app1", 1, "10.0.0.11").label("traefik.enable", "true")
                .label("traefik.http.routers.app1.rule", "Host(`app1.localhost`)"));
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals(List.of("demo-app1-1"), w.containers());
        assertEquals("traefik.http.services.app1-demo.loadbalancer.server.port", w.label());
        assertTrue(w.message().contains("port is missing") && w.message().contains("server.port=<the port the application listens on inside the container, e.g. 8081>"), w.message());
        assertTrue(r.config().http().routers().isEmpty(), "the container is skipped");
        assertTrue(build(new C("db", 1, "10.0.0.3")).warnings().isEmpty(), "a container without traefik labels is not a student's");
    }

    @Test
    void aNetworkWithoutItsComposeProjectPrefixIsNamedWithTheFix() {
        DockerConfigBuilder.Result r = build(new C("app1", 1, "10.0.0.11").network("demo_default", "10.1.0.11").expose(8081)
                .label("traefik.docker.network", "shared-network"));
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals("traefik.docker.network", w.label());
        assertTrue(w.message().contains("traefik.docker.network=demo_shared-network"), w.message());
        assertEquals(List.of("http://10.0.0.11:8081"), servers(r.config().http(), "app1-demo"), "the prefixed network is used meanwhile");

        DockerConfigBuilder.Result right = build(new C("app1", 1, "10.0.0.11").network("demo_default", "10.1.0.11").expose(8081)
                .label("traefik.docker.network", "demo_default"));
        assertTrue(right.warnings().isEmpty());
        assertEquals(List.of("http://10.1.0.11:8081"), servers(right.config().http(), "app1-demo"));

        DockerConfigBuilder.Result flag = build(flags("network", "shared-network"), Set.of(),
                new C("app1", 1, "10.0.0.11").expose(8081).label("traefik.enable", "true"));
        assertTrue(onlyWarning(flag).message().contains("--providers.docker.network=demo_shared-network"), flag.warnings().toString());
    }

    @Test
    void severalNetworksAndNoChoiceIsAWarning() {
        DockerConfigBuilder.Result r = build(new C("app1", 1, "10.0.0.11").network("demo_backend", "10.2.0.11").expose(8081)
                .label("traefik.enable", "true"));
        assertTrue(onlyWarning(r).message().contains("several networks"), r.warnings().toString());
    }

    @Test
    void knowingItsOwnContainerTheProxyPicksASharedNetworkAndNamesAContainerItCannotReach() {
        C proxy = new C("reverse-proxy", 1, "10.0.0.2").network("demo_backend", "10.2.0.2");
        proxy.networks.remove("demo_shared-network");
        C twoNetworks = new C("app1", 1, "10.0.0.11").network("demo_backend", "10.2.0.11").expose(8081)
                .label("traefik.enable", "true");
        C wrongNetwork = new C("app2", 1, "10.0.0.21").expose(8081).label("traefik.enable", "true");
        List<DockerContainer> all = List.of(proxy.get(), twoNetworks.get(), wrongNetwork.get());
        DockerConfigBuilder.Result r = new DockerConfigBuilder(DockerConfigBuilder.Options.of(flags())).build(all, Set.of(),
                proxy.id);
        assertEquals(List.of("http://10.2.0.11:8081"), servers(r.config().http(), "app1-demo"), "the network shared with the proxy");
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals(List.of("demo-app2-1"), w.containers());
        assertTrue(w.message().contains("shares no network with the proxy") && w.message().contains("time out"), w.message());
    }

    @Test
    void hostAndContainerNetworkModes() {
        C host = new C("h", 1, "").expose(9000);
        host.networks.clear();
        host.mode = "host";
        C sidecar = new C("side", 1, "").expose(9001);
        sidecar.networks.clear();
        sidecar.mode = "container:h-id-1";
        HttpConfig http = build(host, sidecar).config().http();
        assertEquals(List.of("http://127.0.0.1:9000"), servers(http, "h-demo"));
        assertEquals(List.of("http://127.0.0.1:9001"), servers(http, "side-demo"), "the address of the container it shares");
    }

    @Test
    void elementsTwoContainersDefineDifferentlyAreLeftOutAndNamed() {
        DockerConfigBuilder.Result r = build(
                new C("app1", 1, "10.0.0.11").expose(8081).label("traefik.http.routers.app.rule", "Host(`a.localhost`)"),
                new C("app2", 1, "10.0.0.21").expose(8081).label("traefik.http.routers.app.rule", "Host(`b.localhost`)"));
        assertFalse(r.config().http().routers().containsKey("app"));
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals(List.of("demo-app1-1", "demo-app2-1"), w.containers());
        assertTrue(w.message().contains("Host(`a.localhost`) vs Host(`b.localhost`)"), w.message());
        assertTrue(w.line().startsWith("containers demo-app1-1, demo-app2-1: router \"app\""), w.line());
    }

    @Test
    void aServiceWithDifferentOptionsIsAConflictButItsServersAreNot() {
        DockerConfigBuilder.Result r = build(
                new C("app1", 1, "10.0.0.11").expose(8081).label("traefik.http.services.s.loadbalancer.passhostheader", "false"),
                new C("app1", 2, "10.0.0.12").expose(8081).label("traefik.http.services.s.loadbalancer.passhostheader", "true"));
        assertFalse(r.config().http().services().containsKey("s"), r.config().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("service \"s\" is defined differently")
                && w.message().contains("passhostheader is false vs true")), r.warnings().toString());

        DockerConfigBuilder.Result same = build(
                new C("app1", 1, "10.0.0.11").expose(8081).label("traefik.http.services.s.loadbalancer.passhostheader", "false"),
                new C("app1", 2, "10.0.0.12").expose(8081).label("traefik.http.services.s.loadbalancer.passhostheader", "false"));
        assertEquals(List.of("http://10.0.0.11:8081", "http://10.0.0.12:8081"), servers(same.config().http(), "s"));
    }

    @Test
    void referencesToUndefinedMiddlewaresAndServicesAreNamedWithTheClosestOne() {
        DockerConfigBuilder.Result r = build(new C("app1", 1, "10.0.0.11").expose(8081)
                .label("traefik.http.routers.app1.rule", "PathPrefix(`/app1`)")
                .label("traefik.http.routers.app1.middlewares", "app1-strp, auth@file")
                .label("traefik.http.middlewares.app1-strip.stripprefix.prefixes", "/app1"));
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals("traefik.http.routers.app1.middlewares", w.label());
        assertTrue(w.message().contains("\"app1-strp\"") && w.message().contains("did you mean app1-strip?")
                && w.message().contains("app1-strp@file"), w.message());

        DockerConfigBuilder.Result svc = build(new C("app1", 1, "10.0.0.11").expose(8081)
                .label("traefik.http.routers.app1.rule", "PathPrefix(`/app1`)")
                .label("traefik.http.routers.app1.service", "ap1")
                .label("traefik.http.services.app1.loadbalancer.server.port", "8081"));
        assertEquals("traefik.http.routers.app1.service", onlyWarning(svc).label());
        assertTrue(onlyWarning(svc).message().contains("did you mean app1?"), onlyWarning(svc).message());
    }

    @Test
    void labelsFromTraefikV1TutorialsAreNamedWithTheirV3Spelling() {
        DockerConfigBuilder.Result r = build(new C("app1", 1, "10.0.0.11").expose(8081)
                .label("traefik.enable", "true")
                .label("traefik.frontend.rule", "Host:app1.localhost")
                .label("traefik.port", "8081"));
        Map<String, String> byLabel = new LinkedHashMap<>();
        r.warnings().forEach(w -> byLabel.put(w.label(), w.message()));
        assertTrue(byLabel.get("traefik.frontend.rule").contains("traefik.http.routers.app1.rule=Host(`app1.localhost`)"),
                byLabel.toString());
        assertTrue(byLabel.get("traefik.port").contains("traefik.http.services.app1.loadbalancer.server.port=8081"),
                byLabel.toString());

        DockerConfigBuilder.Result strip = build(new C("app1", 1, "10.0.0.11").expose(8081)
                .label("traefik.http.routers.app1.rule", "PathPrefixStrip(`/app1`)"));
        DockerConfigBuilder.Warning w = onlyWarning(strip);
        assertEquals("traefik.http.routers.app1.rule", w.label());
        assertTrue(w.message().contains("stripPrefix middleware"), w.message());
        assertNotNull(strip.config().http().routers().get("app1"), "kept, so the API shows it with its error");
    }

    @Test
    void aMisspeltLabelSkipsTheContainerAndNamesTheClosestLabel() {
        DockerConfigBuilder.Result r = build(new C("app1", 1, "10.0.0.11").expose(8081)
                .label("traefik.http.routers.app1.rul", "Host(`app1.localhost`)"));
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals("traefik.http.routers.app1.rul", w.label());
        assertTrue(w.message().contains("did you mean traefik.http.routers.app1.rule?"), w.message());
        assertTrue(r.config().http().routers().isEmpty());
    }

    @Test
    void withExposedByDefaultOffOnlyEnabledContainersAreRoutedAndAForgottenEnableIsNamed() {
        StaticConfig.DockerProvider off = flags("exposedByDefault", "false");
        DockerConfigBuilder.Result r = build(off, Set.of(),
                new C("app1", 1, "10.0.0.11").expose(8081).label("traefik.http.routers.app1.rule", "Host(`a`)"),
                new C("app2", 1, "10.0.0.21").expose(8081).label("traefik.enable", "true"),
                new C("db", 1, "10.0.0.3").expose(3306));
        assertEquals(Set.of("app2-demo"), r.config().http().routers().keySet());
        DockerConfigBuilder.Warning w = onlyWarning(r);
        assertEquals(List.of("demo-app1-1"), w.containers());
        assertTrue(w.message().contains("traefik.enable=true"), w.message());
    }

    @Test
    void stoppingStartingAndUnhealthyContainersGetNoTrafficAndAPausedOneStaysAsInTraefik() {
        C healthy = new C("app1", 1, "10.0.0.11").expose(8081);
        C starting = new C("app1", 2, "10.0.0.12").expose(8081);
        starting.health = "starting";
        C unhealthy = new C("app1", 3, "10.0.0.13").expose(8081);
        unhealthy.health = "unhealthy";
        C stopping = new C("app1", 4, "10.0.0.14").expose(8081);
        C paused = new C("app1", 5, "10.0.0.15").expose(8081);
        paused.status = "paused";
        HttpConfig http = build(flags(), Set.of("app1-id-4"), healthy, starting, unhealthy, stopping, paused).config().http();
        assertEquals(List.of("http://10.0.0.11:8081", "http://10.0.0.15:8081"), servers(http, "app1-demo"),
                "paused: Docker's State.Running is true, Traefik v3.2 keeps it");
        List<DockerContainer> list = List.of(healthy.get(), paused.get());
        HttpConfig pausedOut = new DockerConfigBuilder(DockerConfigBuilder.Options.of(flags()).pausedIsStopped(true))
                .build(list, Set.of()).config().http();
        assertEquals(List.of("http://10.0.0.11:8081"), servers(pausedOut, "app1-demo"), "Switchboard's eventsAtOnce leaves it out");

        HttpConfig empty = build(flags("allowEmptyServices", "true"), Set.of(), starting).config().http();
        assertEquals(List.of(), servers(empty, "app1-demo"), "allowEmptyServices keeps the service, with no server: 503, not 404");
        assertTrue(empty.routers().containsKey("app1-demo"));
    }

    @Test
    void constraintsSelectContainersByLabel() {
        DockerConfigBuilder.Result r = build(flags("constraints", "Label(`lab`, `2`) || LabelRegex(`com.docker.compose.service`, `^db`)"),
                Set.of(), new C("app1", 1, "10.0.0.11").expose(8081).label("lab", "2"),
                new C("app2", 1, "10.0.0.21").expose(8081).label("lab", "3"),
                new C("db", 1, "10.0.0.3").expose(3306));
        assertEquals(Set.of("app1-demo", "db-demo"), r.config().http().routers().keySet());
    }

    @Test
    void routersNeedASingleServiceToLinkTo() {
        DockerConfigBuilder.Result none = build(new C("app1", 1, "10.0.0.11")
                .label("traefik.http.services.a.loadbalancer.server.port", "8081")
                .label("traefik.http.services.b.loadbalancer.server.port", "8082"));
        assertTrue(none.config().http().routers().isEmpty());
        assertTrue(onlyWarning(none).message().contains("no router"), none.warnings().toString());

        DockerConfigBuilder.Result ambiguous = build(new C("app1", 1, "10.0.0.11")
                .label("traefik.http.routers.r.rule", "Host(`x`)")
                .label("traefik.http.services.a.loadbalancer.server.port", "8081")
                .label("traefik.http.services.b.loadbalancer.server.port", "8082"));
        assertEquals("traefik.http.routers.r.service", onlyWarning(ambiguous).label());
        assertEquals(2, ambiguous.config().http().services().size());
    }

    @Test
    void urlLabelExcludesPortAndScheme() {
        DockerConfigBuilder.Result ok = build(new C("ext", 1, "10.0.0.11")
                .label("traefik.http.services.ext.loadbalancer.server.url", "http://example.internal:9000"));
        assertEquals(List.of("http://example.internal:9000"), servers(ok.config().http(), "ext"));
        DockerConfigBuilder.Result both = build(new C("ext", 1, "10.0.0.11")
                .label("traefik.http.services.ext.loadbalancer.server.url", "http://example.internal:9000")
                .label("traefik.http.services.ext.loadbalancer.server.port", "9000"));
        assertTrue(onlyWarning(both).message().contains("cannot be combined"), both.warnings().toString());
    }

    @Test
    void normalizeIsTraefiks() {
        assertEquals("app1-demo", DockerConfigBuilder.normalize("app1_demo"));
        assertEquals("my-app-v2", DockerConfigBuilder.normalize("/my.app__v2/"));
        assertEquals("café-1", DockerConfigBuilder.normalize("café 1"));
    }
}

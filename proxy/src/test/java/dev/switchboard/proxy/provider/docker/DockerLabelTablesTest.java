package dev.switchboard.proxy.provider.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Cases of Traefik v3.2's {@code pkg/provider/docker/config_test.go} ({@code TestDynConfBuilder_build},
 * {@code TestDynConfBuilder_DefaultRule}) and {@code pkg/provider/constraints/constraints_labels_test.go}:
 * containers with labels in, routers and services out. Each test is named after the Traefik case;
 * containers are on network {@code bridge} at 127.0.0.x and expose 80, as in the Go tables. The
 * Go tables' container "Test" (no compose labels) gives the service name {@code Test}.
 */
class DockerLabelTablesTest {
    private static int next = 1;

    /** A running container named {@code name}, on bridge at {@code ip}, exposing 80/tcp. */
    private static DockerContainer container(String name, String ip, String... labels) {
        Map<String, String> l = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return new DockerContainer(String.format("id%04d", next++), "/" + name, l, "running", "", "bridge",
                Map.of("bridge", new DockerContainer.Network("bridge", ip, "bridge-id")),
                List.of(new DockerContainer.Port(80, "tcp", null, null)));
    }

    private static StaticConfig.DockerProvider options(String defaultRule, String constraints) {
        return new StaticConfig.DockerProvider(null, null, defaultRule, null, constraints, null, null, null, null, null, null);
    }

    private static HttpConfig build(StaticConfig.DockerProvider options, DockerContainer... containers) {
        return new DockerConfigBuilder(DockerConfigBuilder.Options.of(options)).build(List.of(containers), Set.of()).config().http();
    }

    private static HttpConfig build(DockerContainer... containers) {
        return build(options("Host(`{{ normalize .Name }}.traefik.wtf`)", null), containers);
    }

    private static Map<String, String> rules(HttpConfig http) {
        Map<String, String> m = new TreeMap<>();
        http.routers().forEach((n, r) -> m.put(n, r.rule() + " -> " + r.service()));
        return m;
    }

    private static Map<String, List<String>> servers(HttpConfig http) {
        Map<String, List<String>> m = new TreeMap<>();
        http.services().forEach((n, s) -> m.put(n, s instanceof Service.LoadBalancer lb
                ? lb.servers().stream().map(Service.Server::url).toList() : List.of(s.toString())));
        return m;
    }

    // TestDynConfBuilder_DefaultRule

    @Test
    void defaultRuleWithNoVariable() {
        assertEquals(Map.of("Test", "Host(`foo.bar`) -> Test"),
                rules(build(options("Host(`foo.bar`)", null), container("Test", "127.0.0.1"))));
    }

    @Test
    void defaultRuleWithServiceName() {
        assertEquals(Map.of("Test", "Host(`Test.foo.bar`) -> Test"),
                rules(build(options("Host(`{{ .Name }}.foo.bar`)", null), container("Test", "127.0.0.1"))));
    }

    @Test
    void defaultRuleWithLabelThroughIndex() {
        assertEquals(Map.of("Test", "Host(\"Test.foo.bar\") -> Test"),
                rules(build(options("Host(\"{{ .Name }}.{{ index .Labels \"traefik.domain\" }}\")", null),
                        container("Test", "127.0.0.1", "traefik.domain", "foo.bar"))));
    }

    @Test
    void invalidRuleLeavesOutTheRouterAndKeepsTheService() {
        HttpConfig http = build(options("Host(\"{{ .Toto }}\")", null), container("Test", "127.0.0.1"));
        assertEquals(Map.of(), rules(http));
        assertEquals(Map.of("Test", List.of("http://127.0.0.1:80")), servers(http));
    }

    @Test
    void undefinedRuleLeavesOutTheRouterAndKeepsTheService() {
        HttpConfig http = build(options("", null), container("Test", "127.0.0.1"));
        assertEquals(Map.of(), rules(http), "an explicitly empty defaultRule creates no router");
        assertEquals(Map.of("Test", List.of("http://127.0.0.1:80")), servers(http));
    }

    @Test
    void defaultTemplateRule() {
        assertEquals(Map.of("Test", "Host(`Test`) -> Test"), rules(build(options(null, null), container("Test", "127.0.0.1"))));
    }

    // TestDynConfBuilder_build

    @Test
    void oneContainerNoLabel() {
        HttpConfig http = build(container("Test", "127.0.0.1"));
        assertEquals(Map.of("Test", "Host(`Test.traefik.wtf`) -> Test"), rules(http));
        assertEquals(Map.of("Test", List.of("http://127.0.0.1:80")), servers(http));
    }

    @Test
    void twoContainersNoLabel() {
        HttpConfig http = build(container("Test", "127.0.0.1"), container("Test2", "127.0.0.2"));
        assertEquals(Map.of("Test", "Host(`Test.traefik.wtf`) -> Test", "Test2", "Host(`Test2.traefik.wtf`) -> Test2"), rules(http));
    }

    @Test
    void oneContainerWithRuleLabelAndTwoServices() {
        HttpConfig http = build(container("Test", "127.0.0.1",
                "traefik.http.services.Service1.loadbalancer.passhostheader", "true",
                "traefik.http.services.Service2.loadbalancer.passhostheader", "true",
                "traefik.http.routers.Router1.rule", "Host(`foo.com`)"));
        assertEquals(Map.of(), rules(http), "a router without service cannot pick one of two");
        assertEquals(Set.of("Service1", "Service2"), servers(http).keySet());
    }

    @Test
    void oneRouterOneSpecifiedButUndefinedServiceKeepsTheNameAndCreatesTheAutomaticService() {
        HttpConfig http = build(container("Test", "127.0.0.1",
                "traefik.http.routers.Router1.rule", "Host(`foo.com`)",
                "traefik.http.routers.Router1.service", "Service1"));
        assertEquals(Map.of("Router1", "Host(`foo.com`) -> Service1"), rules(http));
        assertEquals(Set.of("Test"), servers(http).keySet());
    }

    @Test
    void twoContainersWithTwoDifferentRoutersWithSameNameLeaveTheRouterOut() {
        HttpConfig http = build(
                container("Test", "127.0.0.1", "traefik.http.routers.Router1.rule", "Host(`foo.com`)"),
                container("Test", "127.0.0.2", "traefik.http.routers.Router1.rule", "Host(`bar.com`)"));
        assertEquals(Map.of(), rules(http));
        assertEquals(Map.of("Test", List.of("http://127.0.0.1:80", "http://127.0.0.2:80")), servers(http));
    }

    @Test
    void oneRouterNameDefinedByContainersOfTwoServicesIsAConflictAndBothServicesStay() {
        // The same labels on two services' containers: each router points at its own service, so they differ.
        HttpConfig http = build(
                container("Test", "127.0.0.1", "traefik.http.routers.Router1.rule", "Host(`foo.com`)"),
                container("Test2", "127.0.0.2", "traefik.http.routers.Router1.rule", "Host(`foo.com`)"));
        assertEquals(Map.of(), rules(http));
        assertEquals(Set.of("Test", "Test2"), servers(http).keySet());
    }

    @Test
    void twoContainersWithTwoIdenticalRoutersKeepTheRouter() {
        HttpConfig http = build(
                container("Test", "127.0.0.1", "traefik.http.routers.Router1.rule", "Host(`foo.com`)"),
                container("Test", "127.0.0.2", "traefik.http.routers.Router1.rule", "Host(`foo.com`)"));
        assertEquals(Map.of("Router1", "Host(`foo.com`) -> Test"), rules(http));
    }

    @Test
    void twoContainersWithTwoIdenticalRouterRulesAndDifferentServiceNamesLeaveTheRouterOut() {
        HttpConfig http = build(
                container("Test", "127.0.0.1", "traefik.http.routers.Router1.rule", "Host(`foo.com`)"),
                container("Test2", "127.0.0.2", "traefik.http.routers.Router1.rule", "Host(`foo.com`)",
                        "traefik.http.routers.Router1.service", "Test2"));
        assertEquals(Map.of(), rules(http));
    }

    @Test
    void oneContainerWithBadLabelIsLeftOut() {
        HttpConfig http = build(container("Test", "127.0.0.1", "traefik.http.services.Service1.loadbalancer.server.scheme.wrong", "h2c"));
        assertEquals(Map.of(), servers(http));
    }

    @Test
    void oneContainerWithLabelPort() {
        HttpConfig http = build(container("Test", "127.0.0.1", "traefik.http.services.Service1.LoadBalancer.server.port", "8080"));
        assertEquals(Map.of("Service1", List.of("http://127.0.0.1:8080")), servers(http));
        assertEquals(Map.of("Test", "Host(`Test.traefik.wtf`) -> Service1"), rules(http));
    }

    @Test
    void oneContainerWithLabelPortOnTwoServicesCreatesBothAndNoDefaultRouter() {
        HttpConfig http = build(container("Test", "127.0.0.1",
                "traefik.http.services.Service1.LoadBalancer.server.port", "",
                "traefik.http.services.Service2.LoadBalancer.server.port", "8080"));
        assertEquals(Map.of("Service1", List.of("http://127.0.0.1:80"), "Service2", List.of("http://127.0.0.1:8080")), servers(http),
                "an empty port label means the exposed port");
        assertEquals(Map.of(), rules(http));
    }

    @Test
    void oneContainerWithTraefikEnableFalse() {
        assertEquals(Map.of(), servers(build(container("Test", "127.0.0.1", "traefik.enable", "false"))));
    }

    @Test
    void oneUnhealthyHttpContainerIsLeftOut() {
        DockerContainer c = container("Test", "127.0.0.1");
        DockerContainer unhealthy = new DockerContainer(c.id(), c.name(), c.labels(), "running", "unhealthy", "bridge", c.networks(), c.ports());
        assertEquals(Map.of(), servers(build(unhealthy)));
    }

    @Test
    void oneUnhealthyHttpContainerWithAllowEmptyServicesKeepsAnEmptyService() {
        DockerContainer c = container("Test", "127.0.0.1");
        DockerContainer unhealthy = new DockerContainer(c.id(), c.name(), c.labels(), "running", "unhealthy", "bridge", c.networks(), c.ports());
        StaticConfig.DockerProvider allow = new StaticConfig.DockerProvider(null, null, "Host(`{{ normalize .Name }}.traefik.wtf`)",
                null, null, null, true, null, null, null, null);
        HttpConfig http = build(allow, unhealthy);
        assertEquals(Map.of("Test", List.of()), servers(http));
        assertEquals(Map.of("Test", "Host(`Test.traefik.wtf`) -> Test"), rules(http));
    }

    @Test
    void oneContainerWithNonMatchingConstraints() {
        assertEquals(Map.of(), servers(build(options(null, "Label(\"traefik.tags\", \"bar\")"),
                container("Test", "127.0.0.1", "traefik.tags", "foo"))));
    }

    @Test
    void oneContainerWithMatchingConstraintsInDoubleQuotes() {
        assertEquals(Set.of("Test"), servers(build(options(null, "Label(\"traefik.tags\", \"foo\")"),
                container("Test", "127.0.0.1", "traefik.tags", "foo"))).keySet());
    }

    // Labels Traefik does not decode: the container keeps its routes.

    @Test
    void aLabelUnderAnUnknownTraefikRootIsIgnored() {
        HttpConfig http = build(container("Test", "127.0.0.1", "traefik.wrong.label", "x",
                "traefik.tls.stores.other.defaultcertificate.certfile", "/c.pem", "traefik.tls.options.x.minVersion", "VersionTLS12"));
        assertEquals(Map.of("Test", "Host(`Test.traefik.wtf`) -> Test"), rules(http));
    }

    // pkg/provider/constraints/constraints_labels_test.go

    @Test
    void matchLabelsTable() {
        Map<String, String> labels = Map.of("hello", "world", "foo", "bar");
        Map<String, Boolean> table = new LinkedHashMap<>();
        table.put("Label(\"hello\", \"world\")", true);
        table.put("Label(\"hello\", \"worlds\")", false);
        table.put("Label(\"hi\", \"world\")", false);
        table.put("!Label(\"hello\", \"world\")", false);
        table.put("Label(\"hello\", \"world\") && Label(\"foo\", \"bar\")", true);
        table.put("Label(\"hello\", \"worlds\") && Label(\"foo\", \"bar\")", false);
        table.put("Label(\"hello\", \"world\") && !Label(\"foo\", \"bar\")", false);
        table.put("Label(\"hello\", \"world\") || Label(\"foo\", \"bar\")", true);
        table.put("Label(\"hello\", \"worlds\") || Label(\"foo\", \"bar\")", true);
        table.put("Label(\"hello\", \"world\") || !Label(\"foo\", \"bar\")", true);
        table.put("", true);
        table.put("LabelRegex(\"hello\", \"w\\\\w+\")", true);
        table.put("LabelRegex(\"hello\", \"w\\\\w+s\")", false);
        table.put("LabelRegex(\"hi\", \"w\\\\w+\")", false);
        table.put("!LabelRegex(\"hello\", \"w\\\\w+\")", false);
        table.put("LabelRegex(\"hello\", \"w(\\\\w+\")", false); // does not compile: no match, no error
        Map<String, Boolean> actual = new LinkedHashMap<>();
        table.keySet().forEach(expr -> actual.put(expr, Constraints.parse(expr).matches(labels)));
        assertEquals(table, actual);
        assertEquals(false, Constraints.parse("Label(\"hello\", \"bar\")").matches(Map.of()));
    }

    @Test
    void matchLabelsErrorsLeaveEveryContainerOutWithoutStoppingTheProxy() {
        for (String expr : List.of("Label(\"hello\")", "Foo(\"hello\")")) {
            Constraints c = Constraints.lenient(expr);
            assertTrue(c.error() != null, expr);
            assertEquals(Map.of(), servers(build(options(null, expr), container("Test", "127.0.0.1", "hello", "world"))), expr);
        }
    }

    @SuppressWarnings("unused")
    private static List<String> names(Map<String, Router> routers) {
        return new ArrayList<>(routers.keySet());
    }
}

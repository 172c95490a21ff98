package dev.switchboard.lab.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.compose.ComposeFile;
import dev.switchboard.lab.topology.Topology;
import dev.switchboard.proxy.SwitchboardProxy;
import dev.switchboard.proxy.config.StaticConfigLoader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first hint of a failed check is what the proxy itself reports about the router it is about:
 * issue 21's class 2 ("the proxy knows the mistake; the hint does not"). A real proxy, configured by
 * a dynamic file with the mistakes students make, answers on its API; its log is given as text.
 */
class ProxyDiagnosisTest {
    private static final String DYNAMIC = """
            http:
              routers:
                fine:
                  rule: "PathPrefix(`/fine`)"
                  service: fine
                bad-rule:
                  rule: "PathPrefix('/app1')"
                  service: fine
                typo-middleware:
                  rule: "PathPrefix(`/typo`)"
                  middlewares:
                    - app1-strp
                  service: fine
                canary:
                  rule: "PathPrefix(`/canary`)"
                  service: canary
              middlewares:
                app1-strip:
                  stripPrefix:
                    prefixes:
                      - /app1
              services:
                fine:
                  loadBalancer:
                    servers:
                      - url: "http://127.0.0.1:9"
                canary:
                  weighted:
                    services:
                      - name: fine
                        weight: 9
                      - name: app1-v2@dockr
                        weight: 1
            """;

    private static SwitchboardProxy proxy;
    private static Path dir;
    private static String log = "";

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("diagnosis");
        Path dynamic = dir.resolve("dynamic.yml");
        Files.writeString(dynamic, DYNAMIC);
        proxy = new SwitchboardProxy(StaticConfigLoader.load(List.of("--api.insecure=true",
                "--entrypoints.web.address=127.0.0.1:0", "--entrypoints.traefik.address=127.0.0.1:0",
                "--providers.file.filename=" + dynamic))).start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    private static Optional<String> diagnose(String... about) throws Exception {
        try (LabContext lab = new LabContext(new ProxyOnly(), "reverse-proxy")) {
            return ProxyDiagnosis.of(lab, List.of(about));
        }
    }

    @Test
    void aRouterWhoseRuleDoesNotParseIsReportedWithTheProxysError() throws Exception {
        String d = diagnose("routers/bad-rule@file").orElseThrow();
        assertTrue(d.startsWith("the proxy reports the router bad-rule@file disabled: "), d);
    }

    @Test
    void aMiddlewareNameWithATypoIsNamed() throws Exception {
        String d = diagnose("routers/typo-middleware@file").orElseThrow();
        assertTrue(d.contains("app1-strp"), d);
    }

    @Test
    void aServiceBehindAWeightedServiceThatDoesNotExistIsNamed() throws Exception {
        String d = diagnose("routers/canary@file").orElseThrow();
        assertTrue(d.contains("app1-v2@dockr"), d);
    }

    @Test
    void aRouterThatServesHasNothingToReport() throws Exception {
        assertEquals(Optional.empty(), diagnose("routers/fine@file"));
    }

    @Test
    void aMissingRouterIsExplainedByTheLogLinesThatNameIt() throws Exception {
        log = """
                lab2-reverse-proxy-1 | 2026-12-05T07:14:43Z INF Switchboard started
                lab2-reverse-proxy-1 | 2026-12-05T07:14:44Z WRN docker provider: containers lab2-app1-1, lab2-app1-large-1: \
                router "app1" is defined differently by 2 containers (rule: Host(`app1.localhost`) vs Host(`large.localhost`)), \
                so it is left out: give each definition its own name, or make the labels the same
                lab2-reverse-proxy-1 | 2026-12-05T07:14:44Z WRN docker provider: container lab2-app2-1: label \
                traefik.http.routers.app2.rule: something else
                """;
        try {
            String d = diagnose("routers/app1@docker").orElseThrow();
            assertTrue(d.startsWith("the proxy has no router app1@docker; its log says why: docker provider: containers "
                    + "lab2-app1-1, lab2-app1-large-1: router \"app1\" is defined differently"), d);
            assertTrue(!d.contains("app2"), d);
        } finally {
            log = "";
        }
    }

    @Test
    void aDockerServiceOnlyOthersMissSaysWhereItComesFrom() throws Exception {
        log = """
                lab6-reverse-proxy-1 | 2026-12-05T07:14:44Z ERR service "app1-canary@file" (files/dynamic/canary.yml:4):                 the service "app1-v2@docker" does not exist: did you mean "app1-v1@docker"?
                """;
        try {
            String d = diagnose("services/app1-v2@docker").orElseThrow();
            assertTrue(d.startsWith("the proxy has no service app1-v2@docker; its log says why: service \"app1-canary@file\""), d);
            assertTrue(d.contains("needs traefik.enable=true and its labels traefik.http.services.app1-v2.*"), d);
        } finally {
            log = "";
        }
    }

    @Test
    void logLinesAreFoundInTraefiksWordsToo() {
        String traefik = """
                2026-12-05T07:14:44Z ERR Router defined multiple times with different configurations in \
                [app1-lab2 app1-large-lab2] providerName=docker routerName=app1
                2026-12-05T07:14:44Z ERR error="field not found, node: router" container=app1-lab2 \
                label=traefik.http.router.app1.rule providerName=docker
                2026-12-05T07:14:45Z INF routerName=app1 something fine
                """;
        List<String> lines = ProxyDiagnosis.logLines(traefik, "router", "app1");
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("Router defined multiple times"), lines::toString);
        assertTrue(lines.get(1).contains("traefik.http.router.app1.rule"), lines::toString);
        assertEquals(List.of(), ProxyDiagnosis.logLines(traefik, "router", "app"), "app is not app1");
    }

    /** The proxy above as the only service of a topology: its API on "container port" 8080, its log as set by the test. */
    private static final class ProxyOnly implements Topology {
        @Override
        public String backend() {
            return "test";
        }

        @Override
        public ComposeFile compose() {
            throw new UnsupportedOperationException();
        }

        @Override
        public URI published(String service, int containerPort) {
            return URI.create("http://127.0.0.1:" + proxy.port(containerPort == 8080 ? "traefik" : "web") + "/");
        }

        @Override
        public InetSocketAddress direct(String service, int replica, int containerPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Integer> replicas(String service) {
            return List.of(1);
        }

        @Override
        public void kill(String service, int replica) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(String service, int replica) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void pause(String service, int replica) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unpause(String service, int replica) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scale(String service, int replicas) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String logs(String service) {
            return log;
        }

        @Override
        public Optional<String> file(String service, int replica, String containerPath) {
            return Optional.empty();
        }

        @Override
        public void writeFile(String relativePathInLabDir, String content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}

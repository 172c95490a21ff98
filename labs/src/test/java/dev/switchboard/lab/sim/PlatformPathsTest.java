package dev.switchboard.lab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.lab.compose.ComposeParser;
import dev.switchboard.lab.kit.LabFolders;
import dev.switchboard.lab.model.LabModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The macOS and Windows paths of the simulation, forced on this Linux machine with
 * {@code switchboard.lab.platform}, so that they are run where CI runs: the macOS address plan (loopback
 * aliases, set up once by {@code sudo ./lab setup}) and Windows' freezing of a container at its ports.
 * Linux answers on every 127.x address, so the aliases' addresses work here as they do on a Mac once
 * set up; what a Mac without them does is tested through the address check itself. Isolated: the
 * platform it forces is a system property, which a grading running beside it (test classes run in
 * parallel) would read too.
 */
@Isolated
class PlatformPathsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private SimulatedLab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
        System.clearProperty(Platform.PROPERTY);
    }

    @Test
    void aMacWithoutTheAliasesIsToldTheOneCommandBeforeAnythingStarts() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AddressPlan.requireAddresses(AddressPlan.Layout.ALIASES, address -> address.getHostAddress().equals("127.0.0.1")));
        assertTrue(e.getMessage().contains("macOS answers only on 127.0.0.1") && e.getMessage().contains("sudo ./lab setup\n")
                && e.getMessage().contains("sudo ./lab setup --undo") && e.getMessage().contains("--docker"), e.getMessage());
        AddressPlan.requireAddresses(AddressPlan.Layout.ALIASES, address -> true); // set up: nothing to say
    }

    @Test
    void setupAddsEveryAliasNowAndAtEachStartAndUndoRemovesThem() throws Exception {
        List<List<String>> ran = new ArrayList<>();
        Path job = dir.resolve("LaunchDaemons/dev.switchboard.lab.loopback.plist");
        List<String> said = new ArrayList<>();
        LoopbackAliases aliases = new LoopbackAliases(command -> {
            ran.add(command);
            return 0;
        }, job, said::add);

        assertEquals(0, aliases.install());
        assertEquals(1, ran.size());
        List<String> added = runWithIfconfigEchoed(ran.get(0));
        assertEquals(LoopbackAliases.BLOCKS * 254, added.size());
        assertEquals(LoopbackAliases.BLOCKS * 254, new HashSet<>(added).size(), "each alias once");
        assertTrue(added.contains("lo0 alias 127.254.1.1 up") && added.contains("lo0 alias 127.254." + LoopbackAliases.BLOCKS + ".254 up"),
                added.subList(0, 3).toString());
        String plist = Files.readString(job);
        assertTrue(plist.contains("<key>RunAtLoad</key>") && plist.contains(LoopbackAliases.script(false)), plist);
        assertTrue(String.join("\n", said).contains("sudo ./lab setup --undo"), said.toString());

        assertEquals(0, aliases.undo());
        assertFalse(Files.exists(job), "the launchd job is gone");
        List<String> removed = runWithIfconfigEchoed(ran.get(1));
        assertEquals(LoopbackAliases.BLOCKS * 254, removed.size());
        assertTrue(removed.contains("lo0 -alias 127.254.2.17"), removed.subList(0, 3).toString());
    }

    /** Runs the script setup gives the shell, with ifconfig replaced by echo: what it would do to lo0. */
    private static List<String> runWithIfconfigEchoed(List<String> command) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(cmd.size() - 1, cmd.get(cmd.size() - 1).replace("/sbin/ifconfig", "echo"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out.lines().toList();
    }

    private SimulatedLab start(String platform) throws Exception {
        System.setProperty(Platform.PROPERTY, platform);
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                name: platforms
                services:
                  reverse-proxy:
                    image: traefik:v3.2
                    command: [--providers.docker, --providers.docker.exposedByDefault=false, --entrypoints.web.address=:80]
                    ports: ["8000:80"]
                  whoami:
                    image: traefik/whoami
                    deploy:
                      replicas: 2
                    labels:
                      - traefik.enable=true
                      - traefik.http.routers.whoami.rule=PathPrefix(`/`)
                """);
        LabModel model = LabModel.of(ComposeParser.parse(file, Map.of()));
        lab = SimulatedLab.start(LabFolders.root(), model, dir.resolve("state"), true, line -> System.out.println("[" + platform + "] " + line));
        return lab;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Through the proxy's published entry point, once the proxy listens and routes (it starts in seconds). */
    private static int routed(SimulatedLab lab) throws Exception {
        String url = lab.simulation().publishedUrl("reverse-proxy", 80) + "/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int status = -1;
        while (status != 200 && System.nanoTime() < deadline) {
            try {
                status = get(url).statusCode();
            } catch (IOException e) {
                status = -1; // not listening yet
            }
            if (status != 200) {
                Thread.sleep(250);
            }
        }
        return status;
    }

    @Test
    void aLabRunsOnTheMacOSAddressPlan() throws Exception {
        SimulatedLab lab = start("macos");
        for (SimContainer c : lab.simulation().containers("whoami")) {
            assertTrue(c.address().getHostAddress().startsWith("127.254."), c.name() + " at " + c.address());
        }
        assertTrue(lab.readyLines().get(0).contains("loopback aliases of sudo ./lab setup"), lab.readyLines().get(0));
        assertEquals(200, routed(lab));
    }

    @Test
    void windowsFreezesAContainerAtItsPortsAndThawsIt() throws Exception {
        SimulatedLab lab = start("windows");
        assertEquals(200, routed(lab));
        InetSocketAddress replica1 = lab.simulation().address("whoami", 1, 80);
        assertEquals(200, get("http://" + replica1.getHostString() + ":" + replica1.getPort() + "/").statusCode(), "answers through its gate");

        assertEquals(List.of("platforms-whoami-1"), lab.simulation().pause("whoami", 1));
        try (Socket s = new Socket()) {
            s.connect(replica1, 2000); // accepted, as the kernel accepts for a paused container
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThrows(SocketTimeoutException.class, in::read, "frozen: nothing answers");
            assertEquals(List.of("platforms-whoami-1"), lab.simulation().unpause("whoami", 1));
            s.setSoTimeout(10_000);
            assertTrue(new String(in.readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"), "thawed: the request answered");
        }

        lab.simulation().kill("whoami", 1);
        IOException refused = assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(replica1, 2000);
                s.setSoTimeout(2000);
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                if (s.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            }
        });
        assertFalse(refused instanceof SocketTimeoutException, "a killed container is refused or reset, not frozen: " + refused);
    }
}

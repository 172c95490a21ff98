package dev.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The whoami backend on a real loopback port: its name, the request it saw, its health answer. */
class WhoamiTest {

    @Test
    void answersWithItsNameAndTheRequestItSaw() throws Exception {
        Server server = Whoami.start("whoami-1", Whoami.address("127.0.0.1:0"));
        try {
            int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a?b=c"))
                    .header("X-Test", "yes").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("whoami-1", r.headers().firstValue("X-Instance").orElseThrow());
            assertTrue(r.body().startsWith("Name: whoami-1\n"), r.body());
            assertTrue(r.body().contains("GET /a?b=c HTTP/1.1\n"), r.body());
            assertTrue(r.body().contains("X-Test: yes\n"), r.body());
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("OK\n", health.body());
        } finally {
            server.stop();
        }
    }

    @Test
    void addressesAreHostAndPortOrPortAlone() {
        assertEquals(8081, Whoami.address(":8081").getPort());
        assertEquals("127.0.0.2", Whoami.address("127.0.0.2:80").getHostString());
        assertEquals("::1", Whoami.address("[::1]:80").getHostString());
        assertThrows(IllegalArgumentException.class, () -> Whoami.address("8081"));
    }
}

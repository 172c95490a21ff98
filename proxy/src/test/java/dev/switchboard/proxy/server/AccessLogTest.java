package dev.switchboard.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access log in Traefik's formats, field for field. */
class AccessLogTest {
    private Backend backend;
    private ProxyFixture proxy;
    private Path log;

    @BeforeEach
    void start() throws Exception {
        backend = new Backend("b");
        log = Files.createTempDirectory("accesslog").resolve("logs/access.log");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.close();
    }

    private String config() {
        return """
                http:
                  routers:
                    app1: {rule: "PathPrefix(`/app1`)", service: app1}
                  services:
                    app1: {loadBalancer: {servers: [{url: "%s"}]}}
                """.formatted(backend.url());
    }

    private List<String> lines(int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && Files.readAllLines(log).size() >= count);
        try {
            return Files.readAllLines(log);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void commonFormat() throws Exception {
        proxy = ProxyFixture.start(config(), "--accesslog=true", "--accesslog.filepath=" + log);
        proxy.request("/app1/users?id=1").headers(h -> h.put("User-Agent", "lab-test/1").put("Referer", "http://r/")).send();
        proxy.get("/missing");
        List<String> lines = lines(2);
        Pattern common = Pattern.compile("127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000] "
                + "\"GET /app1/users\\?id=1 HTTP/1\\.1\" 200 1 \"http://r/\" \"lab-test/1\" \\d+ \"app1@file\" "
                + "\"" + Pattern.quote(backend.url()) + "\" \\d+ms");
        assertTrue(common.matcher(lines.get(0)).matches(), lines.get(0));
        assertTrue(lines.get(1).contains("\"GET /missing HTTP/1.1\" 404 19 \"-\" "), lines.get(1));
        assertTrue(lines.get(1).endsWith(" \"-\" \"-\" " + lines.get(1).replaceAll(".* ", "")), lines.get(1));
    }

    @Test
    void jsonFormat() throws Exception {
        proxy = ProxyFixture.start(config(), "--accesslog=true", "--accesslog.filepath=" + log, "--accesslog.format=json");
        proxy.get("/app1/x");
        JsonNode entry = new ObjectMapper().readTree(lines(1).get(0));
        assertEquals("app1@file", entry.get("RouterName").asText());
        assertEquals("app1@file", entry.get("ServiceName").asText());
        assertEquals(backend.url(), entry.get("ServiceURL").asText());
        assertEquals(200, entry.get("DownstreamStatus").asInt());
        assertEquals(200, entry.get("OriginStatus").asInt());
        assertEquals("GET", entry.get("RequestMethod").asText());
        assertEquals("/app1/x", entry.get("RequestPath").asText());
        assertEquals("web", entry.get("entryPointName").asText());
        assertEquals(0, entry.get("RetryAttempts").asInt());
        assertTrue(entry.get("Duration").asLong() > 0);
    }

    @Test
    void filtersKeepOnlyMatchingStatuses() throws Exception {
        proxy = ProxyFixture.start(config(), "--accesslog.filepath=" + log, "--accesslog.filters.statuscodes=400-499");
        proxy.get("/app1/x");
        proxy.get("/nope");
        proxy.get("/app1/y");
        proxy.get("/nope2");
        List<String> lines = lines(2);
        Thread.sleep(200);
        lines = Files.readAllLines(log);
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.stream().allMatch(l -> l.contains("\" 404 ")), lines::toString);
    }
}

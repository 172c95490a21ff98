package dev.switchboard.proxy.middleware;

import static dev.switchboard.proxy.testing.Exchange.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.Exchange;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** basicAuth (bcrypt, apr1, SHA1, usersFile), forwardAuth against a real auth server, ipAllowList. */
class AccessMiddlewaresTest {
    private static Backend backend;
    private static Backend auth;
    private static ProxyFixture proxy;
    private static Path usersFile;

    @BeforeAll
    static void start() throws Exception {
        backend = new Backend("b");
        auth = new Backend("auth").behave((b, request, response, callback) -> {
            String token = request.getHeaders().get("X-Token");
            if ("good".equals(token)) {
                response.getHeaders().put("X-Auth-User", "alice");
                response.getHeaders().put("X-Auth-Role", "admin");
                response.getHeaders().put("X-Other", "not copied");
                response.setStatus(200);
                response.write(true, ByteBuffer.allocate(0), callback);
            } else if ("redirect".equals(token)) {
                response.setStatus(302);
                response.getHeaders().put("Location", "https://login.example/?next=x");
                response.write(true, ByteBuffer.allocate(0), callback);
            } else {
                response.setStatus(401);
                response.getHeaders().put("WWW-Authenticate", "Bearer");
                response.write(true, ByteBuffer.wrap("who are you?".getBytes(StandardCharsets.UTF_8)), callback);
            }
        });
        Path dir = Files.createTempDirectory("htpasswd");
        usersFile = dir.resolve("users");
        Files.writeString(usersFile, """
                # made with htpasswd
                bob:%s
                carol:{SHA}%s
                """.formatted(org.apache.commons.codec.digest.Md5Crypt.apr1Crypt("builder", "abcdefgh"),
                Base64.getEncoder().encodeToString(org.apache.commons.codec.digest.DigestUtils.sha1("singer"))));
        String bcrypt = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
                .hashToString(5, "wonderland".toCharArray());
        Map<String, String> m = new LinkedHashMap<>();
        m.put("basic", "basicAuth: {users: [\"alice:" + bcrypt + "\"], usersFile: \"" + usersFile + "\"}");
        m.put("realm", "basicAuth: {users: [\"alice:" + bcrypt + "\"], realm: Lab, removeHeader: true, headerField: X-User}");
        m.put("fwd", "forwardAuth: {address: \"" + auth.url() + "/verify\", authResponseHeaders: [X-Auth-User], "
                + "authResponseHeadersRegex: \"^X-Auth-R\"}");
        m.put("allow", "ipAllowList: {sourceRange: [\"127.0.0.1/32\"]}");
        m.put("deny", "ipAllowList: {sourceRange: [\"10.0.0.0/8\", \"192.168.0.0/16\"]}");
        m.put("depth", "ipAllowList: {sourceRange: [\"203.0.113.0/24\"], ipStrategy: {depth: 2}}");
        m.put("excluded", "ipAllowList: {sourceRange: [\"198.51.100.7\"], ipStrategy: {excludedIPs: [\"203.0.113.0/24\"]}}");
        m.put("reject", "ipAllowList: {sourceRange: [\"10.0.0.0/8\"], rejectStatusCode: 404}");
        proxy = ProxyFixture.start(Exchange.routers(backend, m), "--entrypoints.web.forwardedHeaders.insecure=true");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        backend.close();
        auth.close();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Exchange> rows() {
        return Stream.of(
                row("basicAuth: no credentials: 401 with the realm").host("basic").get("/").status(401).answeredByProxy()
                        .responseHeader("WWW-Authenticate", "Basic realm=\"traefik\"").responseBody("401 Unauthorized\n"),
                row("basicAuth: bcrypt user").host("basic").get("/").header("Authorization", basic("alice", "wonderland"))
                        .backendHeader("Authorization", basic("alice", "wonderland")),
                row("basicAuth: wrong password").host("basic").get("/").header("Authorization", basic("alice", "x"))
                        .status(401).answeredByProxy(),
                row("basicAuth: apr1 user from usersFile").host("basic").get("/").header("Authorization", basic("bob", "builder")),
                row("basicAuth: SHA1 user from usersFile").host("basic").get("/").header("Authorization", basic("carol", "singer")),
                row("basicAuth: unknown user").host("basic").get("/").header("Authorization", basic("mallory", "singer"))
                        .status(401).answeredByProxy(),
                row("basicAuth: realm, removeHeader, headerField").host("realm").get("/")
                        .header("Authorization", basic("alice", "wonderland"))
                        .backendHeader("Authorization", null).backendHeader("X-User", "alice"),
                row("basicAuth: custom realm in the challenge").host("realm").get("/").status(401).answeredByProxy()
                        .responseHeader("WWW-Authenticate", "Basic realm=\"Lab\""),
                row("forwardAuth: 2xx lets through and copies headers").host("fwd").get("/data?x=1").header("X-Token", "good")
                        .backendPath("/data").backendHeader("X-Auth-User", "alice").backendHeader("X-Auth-Role", "admin")
                        .backendHeader("X-Other", null),
                row("forwardAuth: the client cannot forge copied headers").host("fwd").get("/")
                        .header("X-Token", "good").header("X-Auth-User", "root").backendHeader("X-Auth-User", "alice"),
                row("forwardAuth: 401 from the auth server reaches the client").host("fwd").get("/").status(401)
                        .answeredByProxy().responseHeader("WWW-Authenticate", "Bearer").responseBody("who are you?"),
                row("forwardAuth: a login redirect reaches the client").host("fwd").get("/").header("X-Token", "redirect")
                        .status(302).answeredByProxy().responseHeader("Location", "https://login.example/?next=x"),
                row("ipAllowList: loopback allowed").host("allow").get("/"),
                row("ipAllowList: not in range: 403 Forbidden").host("deny").get("/").status(403).answeredByProxy()
                        .responseBody("Forbidden"),
                row("ipAllowList: depth 2 reads X-Forwarded-For").host("depth").get("/")
                        .header("X-Forwarded-For", "203.0.113.9, 10.0.0.1"),
                row("ipAllowList: depth 2, other address refused").host("depth").get("/")
                        .header("X-Forwarded-For", "198.51.100.1, 203.0.113.9").status(403).answeredByProxy(),
                row("ipAllowList: depth longer than the header refuses").host("depth").get("/")
                        .header("X-Forwarded-For", "203.0.113.9").status(403).answeredByProxy(),
                row("ipAllowList: excludedIPs skips proxies").host("excluded").get("/")
                        .header("X-Forwarded-For", "198.51.100.7, 203.0.113.1, 203.0.113.2"),
                row("ipAllowList: rejectStatusCode").host("reject").get("/").status(404).answeredByProxy());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void access(Exchange row) throws Exception {
        row.check(proxy, backend);
    }

    @Test
    void forwardAuthSendsTheOriginalRequestAsXForwardedHeaders() throws Exception {
        auth.reset();
        row("forwardAuth").host("fwd").request("POST", "/orders?id=3").body("{}").header("X-Token", "good")
                .header("X-Forwarded-Uri", "/forged").check(proxy, backend);
        Backend.Seen seen = auth.last();
        assertEquals("GET", seen.method());
        assertEquals("/verify", seen.path());
        assertEquals("POST", seen.header("X-Forwarded-Method"));
        assertEquals("/orders?id=3", seen.header("X-Forwarded-Uri"), "trustForwardHeader is false: the client's is replaced");
        assertEquals("fwd", seen.header("X-Forwarded-Host"));
        assertEquals("http", seen.header("X-Forwarded-Proto"));
        assertEquals("", seen.body(), "the body is not sent to the auth server");
    }

    @Test
    void basicAuthPutsTheUserInTheAccessLog() throws Exception {
        Path log = Files.createTempDirectory("accesslog").resolve("access.log");
        String bcrypt = at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, "pw".toCharArray());
        try (ProxyFixture logged = ProxyFixture.start(Exchange.routers(backend,
                Map.of("auth", "basicAuth: {users: [\"dora:" + bcrypt + "\"]}")), "--accesslog=true",
                "--accesslog.filepath=" + log)) {
            var response = logged.client().newRequest(logged.url("web", "/")).headers(h -> {
                h.put("Host", "auth");
                h.put(HttpHeader.AUTHORIZATION, basic("dora", "pw"));
            }).send();
            assertEquals(200, response.getStatus());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> Files.exists(log) && !Files.readAllLines(log).isEmpty());
            String line = Files.readAllLines(log).get(0);
            org.junit.jupiter.api.Assertions.assertTrue(line.contains(" - dora ["), line);
        }
    }
}

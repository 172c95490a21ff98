package dev.switchboard.proxy.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS termination with real handshakes: certificates from the dynamic configuration chosen by SNI
 * (and swapped on reload), the generated default certificate, HTTP/2 negotiated by ALPN, routers
 * with {@code tls} answering only TLS connections, and entry-point redirection to HTTPS.
 */
class TlsTest {
    private Backend backend;
    private ProxyFixture proxy;
    private Path dir;
    private TlsCertificate certA;
    private TlsCertificate certB;
    private TlsCertificate certWild;
    private TlsCertificate certDefault;

    @BeforeEach
    void certificates() throws Exception {
        backend = new Backend("secure-backend");
        dir = Files.createTempDirectory("tls-test");
        certA = SelfSignedCertificate.generate("a.example", List.of("a.example"));
        certB = SelfSignedCertificate.generate("b.example", List.of("b.example", "www.b.example"), "RSA");
        certWild = SelfSignedCertificate.generate("wild", List.of("*.wild.example"));
        certDefault = SelfSignedCertificate.generate("test default", List.of("localhost"));
        for (var e : java.util.Map.of("a", certA, "b", certB, "wild", certWild, "default", certDefault).entrySet()) {
            Files.writeString(dir.resolve(e.getKey() + ".crt"), pem(e.getValue().chain().get(0)));
            // PKCS#8 ("PRIVATE KEY", as openssl genpkey and mkcert write), except b: PKCS#1 "RSA PRIVATE KEY".
            Files.writeString(dir.resolve(e.getKey() + ".key"), e.getKey().equals("b") ? pem(e.getValue().key())
                    : "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(e.getValue().key().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        }
        assertTrue(Files.readString(dir.resolve("b.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private String dynamic(String... certNames) {
        StringBuilder certs = new StringBuilder();
        for (String n : certNames) {
            certs.append("    - certFile: ").append(dir.resolve(n + ".crt")).append("\n      keyFile: ")
                    .append(dir.resolve(n + ".key")).append('\n');
        }
        return """
                http:
                  routers:
                    secure:
                      rule: "PathPrefix(`/`)"
                      service: app
                      tls: {}
                    plain:
                      rule: "PathPrefix(`/`)"
                      service: plainapp
                  services:
                    app:
                      loadBalancer: {servers: [{url: "%s"}]}
                    plainapp:
                      loadBalancer: {servers: [{url: "%s"}]}
                tls:
                  certificates:
                %s  stores:
                    default:
                      defaultCertificate:
                        certFile: %s
                        keyFile: %s
                """.formatted(backend.url(), backend.url(), certs, dir.resolve("default.crt"), dir.resolve("default.key"));
    }

    /** The certificate the proxy presents for {@code sni} (null: none sent). */
    private X509Certificate handshake(int port, String sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            if (sni != null) {
                SSLParameters params = socket.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(sni)));
                socket.setSSLParameters(params);
            }
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static String cn(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName();
    }

    @Test
    void sniPicksTheCertificateAndReloadsSwapIt() throws Exception {
        proxy = ProxyFixture.start(dynamic("a", "b", "wild"));
        int port = proxy.proxy().port("web");
        assertEquals("CN=a.example", cn(handshake(port, "a.example")));
        assertEquals("CN=b.example", cn(handshake(port, "www.b.example")), "a subject alternative name, an RSA key");
        assertEquals("CN=wild", cn(handshake(port, "api.wild.example")), "a wildcard covers one label");
        assertEquals("CN=test default", cn(handshake(port, "deep.api.wild.example")), "but not two");
        assertEquals("CN=test default", cn(handshake(port, "unknown.example")), "tls.stores.default.defaultCertificate");
        assertEquals("CN=test default", cn(handshake(port, null)), "no SNI");

        proxy.writeDynamic(dynamic("b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cn(handshake(port, "a.example")).equals("CN=test default"));
        assertEquals("CN=b.example", cn(handshake(port, "b.example")), "the connector kept serving, with the new store");
    }

    @Test
    void withoutCertificatesTheGeneratedDefaultIsServed() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    secure: {rule: "PathPrefix(`/`)", service: app, tls: {}}
                  services:
                    app:
                      loadBalancer: {servers: [{url: "%s"}]}
                """.formatted(backend.url()));
        X509Certificate cert = handshake(proxy.proxy().port("web"), "anything.example");
        assertEquals("CN=" + SelfSignedCertificate.COMMON_NAME, cn(cert));
        assertEquals(cert.getIssuerX500Principal(), cert.getSubjectX500Principal(), "self-signed");
    }

    private HttpClient trustingClient(boolean http2) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test-default", certDefault.chain().get(0));
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setTrustStore(trust);
        ssl.setEndpointIdentificationAlgorithm(null); // the test connects to 127.0.0.1, the certificate says localhost
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        List<org.eclipse.jetty.io.ClientConnectionFactory.Info> protocols = new ArrayList<>();
        if (http2) {
            protocols.add(new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)));
        }
        protocols.add(HttpClientConnectionFactory.HTTP11);
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector,
                protocols.toArray(org.eclipse.jetty.io.ClientConnectionFactory.Info[]::new)));
        client.start();
        return client;
    }

    @Test
    void tlsRoutersAnswerTlsConnectionsOverHttp2AndPlainRoutersPlainOnes() throws Exception {
        proxy = ProxyFixture.start(dynamic("a"));
        int port = proxy.proxy().port("web");
        HttpClient h2 = trustingClient(true);
        try {
            ContentResponse secure = h2.newRequest("https://127.0.0.1:" + port + "/hello").timeout(10, TimeUnit.SECONDS).send();
            assertEquals(200, secure.getStatus());
            assertEquals(HttpVersion.HTTP_2, secure.getVersion(), "ALPN negotiated h2");
            assertEquals("https", backend.last().header("X-Forwarded-Proto"));
        } finally {
            h2.stop();
        }
        HttpClient h1 = trustingClient(false);
        try {
            ContentResponse secure = h1.newRequest("https://127.0.0.1:" + port + "/hello").timeout(10, TimeUnit.SECONDS).send();
            assertEquals(HttpVersion.HTTP_1_1, secure.getVersion());
        } finally {
            h1.stop();
        }
        backend.reset();
        proxy.get("/hello");
        assertEquals("http", backend.last().header("X-Forwarded-Proto"), "the plain router answered the plain request");
    }

    @Test
    void anEntryPointMarkedTlsServesItsRoutersOverTlsOnly() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "PathPrefix(`/`)", service: app, entryPoints: [websecure]}
                  services:
                    app:
                      loadBalancer: {servers: [{url: "%s"}]}
                """.formatted(backend.url()), "--entrypoints.websecure.address=127.0.0.1:0",
                "--entrypoints.websecure.http.tls=true");
        assertEquals(404, proxy.client().newRequest(proxy.url("websecure", "/")).send().getStatus(),
                "plain HTTP finds no router: r is an HTTPS router");
        assertTrue(cn(handshake(proxy.proxy().port("websecure"), "x")).contains(SelfSignedCertificate.COMMON_NAME));
    }

    @Test
    void entryPointRedirectionSendsPlainRequestsToHttps() throws Exception {
        proxy = ProxyFixture.start("""
                http:
                  routers:
                    r: {rule: "Host(`app.localhost`)", service: app, tls: {}}
                  services:
                    app:
                      loadBalancer: {servers: [{url: "%s"}]}
                """.formatted(backend.url()), "--entrypoints.websecure.address=127.0.0.1:0",
                "--entrypoints.web.http.redirections.entrypoint.to=websecure",
                "--entrypoints.web.http.redirections.entrypoint.scheme=https");
        int securePort = proxy.proxy().port("websecure");
        ContentResponse get = proxy.get("app.localhost", "/path?q=1");
        assertEquals(301, get.getStatus());
        assertEquals("https://app.localhost:" + securePort + "/path?q=1", get.getHeaders().get("Location"));
        ContentResponse post = proxy.request("/form").method("POST").headers(h -> h.put("Host", "app.localhost")).send();
        assertEquals(308, post.getStatus(), "permanent, and the method is kept");
        assertEquals(0, backend.count());
        assertEquals("enabled", proxy.proxy().runtime().routers().get("web-to-websecure@internal").status().json());
    }
}

package dev.switchboard.proxy.edge;

import dev.switchboard.proxy.testing.Backend;
import dev.switchboard.proxy.testing.ProxyFixture;
import dev.switchboard.proxy.testing.RawConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The site the edge tests attack, as issue 17 probed it: a catch-all router
 * ({@code PathPrefix(`/`)}) to a public backend, and a router {@code PathPrefix(`/admin`)} to an
 * admin backend, protected by {@code basicAuth} (user {@code student}, password {@code lab}). Both
 * backends are real Jetty servers that record what reaches them.
 */
final class ProtectedSite implements AutoCloseable {
    /** {@code htpasswd -nbm student lab}, as in docs/reference/middlewares.md. */
    static final String STUDENT_LAB = "student:$apr1$sb8C3RPd$nfqOMd7fnN/f.L2LheUyo.";
    static final String GOOD_CREDENTIALS = "Basic " + Base64.getEncoder().encodeToString("student:lab".getBytes(StandardCharsets.UTF_8));

    final Backend publicBackend;
    final Backend adminBackend;
    final ProxyFixture proxy;

    private ProtectedSite(Backend publicBackend, Backend adminBackend, ProxyFixture proxy) {
        this.publicBackend = publicBackend;
        this.adminBackend = adminBackend;
        this.proxy = proxy;
    }

    /** The site with the admin router protected by a working basicAuth. */
    static ProtectedSite start(String... extraFlags) throws Exception {
        return withAdminMiddleware("basicAuth: {users: [\"" + STUDENT_LAB + "\"]}", extraFlags);
    }

    /** The site with {@code adminMiddleware} (the YAML of one middleware) in front of the admin backend. */
    static ProtectedSite withAdminMiddleware(String adminMiddleware, String... extraFlags) throws Exception {
        Backend pub = new Backend("public");
        Backend admin = new Backend("admin");
        try {
            ProxyFixture proxy = ProxyFixture.start("""
                    http:
                      routers:
                        all: {rule: "PathPrefix(`/`)", service: public}
                        admin: {rule: "PathPrefix(`/admin`)", service: admin, middlewares: [auth]}
                      middlewares:
                        auth:
                          %s
                      services:
                        public: {loadBalancer: {servers: [{url: "%s"}]}}
                        admin: {loadBalancer: {servers: [{url: "%s"}]}}
                    """.formatted(adminMiddleware, pub.url(), admin.url()), extraFlags);
            return new ProtectedSite(pub, admin, proxy);
        } catch (Exception e) {
            pub.close();
            admin.close();
            throw e;
        }
    }

    int port() {
        return proxy.proxy().port("web");
    }

    RawConnection connect() throws IOException {
        return RawConnection.open(port());
    }

    /** Sends {@code request} (exact bytes) on a new connection and reads the response. */
    RawConnection.Response send(String request) throws IOException {
        try (RawConnection c = connect()) {
            c.write(request);
            return c.read();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.close();
        } finally {
            publicBackend.close();
            adminBackend.close();
        }
    }
}

package dev.switchboard.proxy.tls;

import dev.switchboard.proxy.config.StaticConfig;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * How an entry point speaks: as in Traefik, every entry point accepts both plain HTTP and TLS on
 * the same port (the first bytes of a connection tell which); routers with {@code tls} answer the
 * TLS connections, the others the plain ones. Over TLS, ALPN (RFC 7301) offers HTTP/2 ({@code h2})
 * and HTTP/1.1; certificates come from the {@link CertificateStore}, chosen by SNI per handshake.
 */
public final class TlsConnectors {
    /**
     * Traefik's {@code noop@internal}: the service of generated routers whose middleware answers
     * (a request that reaches it gets 418, as in Traefik).
     */
    public static final Request.Handler NOOP = (request, response, callback) -> {
        response.setStatus(418);
        response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_LENGTH, 0);
        callback.succeeded();
        return true;
    };

    private TlsConnectors() {
    }

    /** The connection factories of one entry point's connector, in Jetty's order; {@code http11} makes its HTTP/1.1 connections. */
    public static ConnectionFactory[] factories(HttpConfiguration http, HttpConnectionFactory http11, CertificateStore certificates,
            StaticConfig.Http2 limits) {
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        h2.setMaxConcurrentStreams(limits.maxConcurrentStreams());
        h2.setMaxDecoderTableCapacity(limits.maxDecoderHeaderTableSize());
        h2.setMaxEncoderTableCapacity(limits.maxEncoderHeaderTableSize());
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http11.getProtocol());
        SslConnectionFactory tls = new SslConnectionFactory(sslContextFactory(certificates), alpn.getProtocol());
        // Not TLS: the detector hands the connection to the next factory, plain HTTP/1.1.
        return new ConnectionFactory[] {new DetectorConnectionFactory(tls), http11, alpn, h2};
    }

    private static SslContextFactory.Server sslContextFactory(CertificateStore certificates) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {certificates}, null, null);
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setSslContext(context);
            factory.setSniRequired(false);
            // HTTP/2 (RFC 9113 9.2.2) forbids the old ciphers: Jetty's comparator puts the allowed ones first.
            factory.setCipherComparator(org.eclipse.jetty.http2.HTTP2Cipher.COMPARATOR);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK", e);
        }
    }
}

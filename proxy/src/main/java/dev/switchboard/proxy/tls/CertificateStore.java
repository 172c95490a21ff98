package dev.switchboard.proxy.tls;

import dev.switchboard.proxy.config.ConfigException;
import dev.switchboard.proxy.config.dynamic.TlsConfig;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of every HTTPS entry point, swapped whole on each configuration reload, and the
 * key manager that picks one per TLS handshake by SNI (RFC 6066), as Traefik does: a certificate
 * whose name equals the requested host, else one whose {@code *.} wildcard covers it, else the
 * default certificate ({@code tls.stores.default.defaultCertificate}, or the self-signed one
 * generated at start). Connectors are never restarted: new handshakes see the new certificates.
 */
public final class CertificateStore extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

    private record Snapshot(List<TlsCertificate> certificates, TlsCertificate fallback) {
    }

    private final TlsCertificate generated;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, TlsCertificate> byAlias = new ConcurrentHashMap<>();
    private final Map<TlsCertificate, String> aliases = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot;

    public CertificateStore() {
        this(SelfSignedCertificate.generateDefault());
    }

    public CertificateStore(TlsCertificate generated) {
        this.generated = generated;
        this.snapshot = new Snapshot(List.of(), generated);
        alias(generated);
    }

    /**
     * Loads the certificates of every provider's {@code tls} section. A certificate that cannot be
     * read is left out and its error returned (and logged); the others are served.
     */
    public List<String> update(List<TlsConfig> sections) {
        List<TlsCertificate> loaded = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        TlsCertificate fallback = generated;
        for (TlsConfig tls : sections) {
            for (TlsConfig.Certificate c : tls.certificates()) {
                try {
                    loaded.add(TlsCertificate.load(c.certFile(), c.keyFile()));
                } catch (ConfigException e) {
                    errors.add("tls certificate: " + e.getMessage());
                }
            }
            TlsConfig.Store store = tls.stores().get("default");
            if (store != null && store.defaultCertificate() != null) {
                try {
                    fallback = TlsCertificate.load(store.defaultCertificate().certFile(), store.defaultCertificate().keyFile());
                } catch (ConfigException e) {
                    errors.add("tls default certificate: " + e.getMessage());
                }
            }
        }
        Map<String, TlsCertificate> nextAliases = new java.util.HashMap<>();
        for (TlsCertificate c : loaded) {
            nextAliases.put(alias(c), c);
        }
        nextAliases.put(alias(fallback), fallback);
        nextAliases.put(alias(generated), generated);
        snapshot = new Snapshot(List.copyOf(loaded), fallback);
        // Forget certificates two generations old: a handshake in progress may still ask for the last ones.
        byAlias.keySet().retainAll(nextAliases.keySet());
        aliases.keySet().retainAll(nextAliases.values());
        byAlias.putAll(nextAliases);
        for (String e : errors) {
            LOG.error("{}", e);
        }
        return errors;
    }

    private String alias(TlsCertificate c) {
        return aliases.computeIfAbsent(c, k -> {
            String a = "cert-" + ids.incrementAndGet();
            byAlias.put(a, k);
            return a;
        });
    }

    /**
     * The certificate a handshake for {@code host} (null: no SNI) gets, if its key is of
     * {@code keyType} (null: any), else null. The JDK asks once per key type the client can verify,
     * in the client's order; answering only for the certificate SNI chose makes it settle on that
     * certificate whatever its key type, rather than on the first certificate of the first type.
     */
    public TlsCertificate select(String host, String keyType) {
        TlsCertificate chosen = chosen(host);
        return fits(chosen, keyType) ? chosen : null;
    }

    private TlsCertificate chosen(String host) {
        Snapshot s = snapshot;
        if (host != null) {
            String h = host.toLowerCase(Locale.ROOT);
            for (TlsCertificate c : s.certificates()) {
                if (c.matchesExactly(h)) {
                    return c;
                }
            }
            for (TlsCertificate c : s.certificates()) {
                if (c.matchesWildcard(h)) {
                    return c;
                }
            }
        }
        return s.fallback();
    }

    private static boolean fits(TlsCertificate c, String keyType) {
        if (keyType == null) {
            return true;
        }
        String alg = c.keyAlgorithm();
        return keyType.equalsIgnoreCase(alg) || (keyType.equals("EC") && alg.equals("ECDSA"));
    }

    private static String sni(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    private String choose(String keyType, SSLSession handshake) {
        TlsCertificate c = select(handshake == null ? null : sni(handshake), keyType);
        return c == null ? null : alias(c);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        TlsCertificate c = byAlias.get(alias);
        return c == null ? null : c.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        TlsCertificate c = byAlias.get(alias);
        return c == null ? null : c.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return byAlias.keySet().toArray(String[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}

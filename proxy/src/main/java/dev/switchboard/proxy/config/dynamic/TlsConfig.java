package dev.switchboard.proxy.config.dynamic;

import java.util.List;
import java.util.Map;

/**
 * The dynamic {@code tls} section: certificates (picked by SNI) and the default certificate.
 * Without any, HTTPS entry points serve a self-signed certificate generated at start.
 */
public record TlsConfig(List<Certificate> certificates, Map<String, Store> stores, Map<String, Options> options) {
    public static final TlsConfig EMPTY = new TlsConfig(null, null, null);

    public TlsConfig {
        certificates = Maps.copy(certificates);
        stores = Maps.copy(stores);
        options = Maps.copy(options);
    }

    public record Certificate(String certFile, String keyFile, List<String> stores) {
        public Certificate {
            stores = Maps.copy(stores);
        }
    }

    public record Store(Certificate defaultCertificate) {
    }

    public record Options(String minVersion, String maxVersion, List<String> cipherSuites, List<String> alpnProtocols, Boolean sniStrict) {
        public Options {
            cipherSuites = Maps.copy(cipherSuites);
            alpnProtocols = Maps.copy(alpnProtocols);
        }
    }
}

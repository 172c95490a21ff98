package dev.switchboard.proxy.tls;

import dev.switchboard.proxy.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * One certificate chain with its private key and the host names it is for (its DNS subject
 * alternative names, or its common name when it has none), read from PEM as Traefik reads
 * {@code tls.certificates[].certFile/keyFile}: a path, or the PEM text itself.
 */
public record TlsCertificate(List<X509Certificate> chain, PrivateKey key, List<String> names, String source) {

    /** Reads a certificate; {@link ConfigException} says which file and what is wrong. */
    public static TlsCertificate load(String certFile, String keyFile) {
        if (certFile == null || certFile.isBlank() || keyFile == null || keyFile.isBlank()) {
            throw new ConfigException("a tls certificate needs both certFile and keyFile");
        }
        String source = certFile.trim().startsWith("-----") ? "inline certificate" : certFile;
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        try (PEMParser certs = new PEMParser(reader(certFile, "certFile"))) {
            for (Object o = certs.readObject(); o != null; o = certs.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new ConfigException("certFile " + source + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new ConfigException("certFile " + source + ": no \"BEGIN CERTIFICATE\" block found");
        }
        try (PEMParser keys = new PEMParser(reader(keyFile, "keyFile"))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = keys.readObject(); o != null && key == null; o = keys.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    key = converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo())); // the public half may be absent
                } else if (o instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("keyFile for " + source + ": not a PEM private key (" + e.getMessage() + ")");
        }
        if (key == null) {
            throw new ConfigException("keyFile for " + source + ": no unencrypted \"PRIVATE KEY\" block found");
        }
        return of(chain, key, source);
    }

    /** A certificate from parts already in memory (the generated default). */
    public static TlsCertificate of(List<X509Certificate> chain, PrivateKey key, String source) {
        return new TlsCertificate(List.copyOf(chain), key, names(chain.get(0)), source);
    }

    /**
     * An {@code EC PRIVATE KEY} block (SEC1, as {@code openssl ecparam -genkey} writes it) names its
     * curve inside the key; the JDK wants it in the algorithm identifier, so it is moved there.
     */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info) throws IOException {
        if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
                || info.getPrivateKeyAlgorithm().getParameters() != null) {
            return info;
        }
        ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
        if (ec.getParametersObject() == null) {
            return info;
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
    }

    private static Reader reader(String value, String option) throws IOException {
        String v = value.trim();
        if (v.startsWith("-----")) {
            return new StringReader(v);
        }
        Path path = Path.of(v);
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(option + " " + v + ": no such file (give a path the proxy can read, or the PEM text)");
        }
        return Files.newBufferedReader(path, StandardCharsets.US_ASCII);
    }

    static List<String> names(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN: fall back to the common name
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // no names: only usable as the default certificate
            }
        }
        return List.copyOf(names);
    }

    /** Whether this certificate is for {@code host}: exactly, or by a {@code *.} wildcard for one label. */
    public boolean matchesExactly(String host) {
        return names.contains(host);
    }

    public boolean matchesWildcard(String host) {
        int dot = host.indexOf('.');
        return dot > 0 && names.contains("*" + host.substring(dot));
    }

    public String keyAlgorithm() {
        return key.getAlgorithm();
    }
}

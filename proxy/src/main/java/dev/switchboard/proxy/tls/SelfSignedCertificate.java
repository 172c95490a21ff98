package dev.switchboard.proxy.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate served when no configured one fits, generated at start as Traefik generates its
 * "TRAEFIK DEFAULT CERT": self-signed, so browsers warn, which is what a student should see before
 * configuring a real certificate. EC P-256 (fast to generate), valid for a year. Uses BouncyCastle
 * only to build the certificate; keys and signatures come from the JDK.
 */
public final class SelfSignedCertificate {
    public static final String COMMON_NAME = "SWITCHBOARD DEFAULT CERT";

    private SelfSignedCertificate() {
    }

    /** A new self-signed EC certificate with {@code commonName} for {@code dnsNames}. */
    public static TlsCertificate generate(String commonName, List<String> dnsNames) {
        return generate(commonName, dnsNames, "EC");
    }

    /** A new self-signed certificate; {@code keyAlgorithm} is {@code EC} (P-256) or {@code RSA} (2048 bits). */
    public static TlsCertificate generate(String commonName, List<String> dnsNames, String keyAlgorithm) {
        try {
            boolean rsa = keyAlgorithm.equals("RSA");
            KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
            if (rsa) {
                generator.initialize(2048);
            } else {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(365))), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(rsa ? "SHA256withRSA" : "SHA256withECDSA").build(pair.getPrivate())));
            return TlsCertificate.of(List.of(cert), pair.getPrivate(), "generated " + commonName);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot generate the default certificate", e);
        }
    }

    /** Switchboard's default certificate. */
    public static TlsCertificate generateDefault() {
        return generate(COMMON_NAME, List.of());
    }
}

package dev.raceway.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks {@code [server.tls]} material before the server listens: the private key must belong to the certificate
 * (else every handshake would fail after a successful start), and a certificate that has expired or expires soon
 * gives a warning.
 */
public final class TlsMaterialCheck {
    /** A certificate that expires within this is warned about. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private TlsMaterialCheck() {
    }

    /**
     * Throws a {@link ConfigException} when the key does not match the certificate; returns a warning for an
     * expired or soon expiring certificate. Keys in a form this check cannot read (e.g. encrypted) are left to the
     * TLS library.
     */
    public static Optional<String> check(TlsSettings tls, Clock clock) {
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(tls.certPath())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new ConfigException("[server.tls] cert_path " + tls.certPath() + ": not a PEM certificate: "
                    + e.getMessage(), e);
        }
        readPkcs8(tls, cert.getPublicKey().getAlgorithm()).ifPresent(key -> {
            if (!signsFor(key, cert)) {
                throw new ConfigException("[server.tls] key_path " + tls.keyPath()
                        + " does not belong to the certificate in " + tls.certPath());
            }
        });
        Instant now = clock.instant();
        Instant notAfter = cert.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            return Optional.of("[server.tls] the certificate in " + tls.certPath() + " expired at " + notAfter
                    + "; clients will refuse it");
        }
        if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            return Optional.of("[server.tls] the certificate in " + tls.certPath() + " expires at " + notAfter);
        }
        if (cert.getNotBefore().toInstant().isAfter(now)) {
            return Optional.of("[server.tls] the certificate in " + tls.certPath() + " is not valid before "
                    + cert.getNotBefore().toInstant());
        }
        return Optional.empty();
    }

    private static Optional<PrivateKey> readPkcs8(TlsSettings tls, String algorithm) {
        try {
            Matcher m = PKCS8.matcher(Files.readString(tls.keyPath()));
            if (!m.find()) {
                return Optional.empty();
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            return Optional.of(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean signsFor(PrivateKey key, X509Certificate cert) {
        String alg = switch (cert.getPublicKey().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (alg == null) {
            return true; // an algorithm this check does not know: the TLS library decides
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(data);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

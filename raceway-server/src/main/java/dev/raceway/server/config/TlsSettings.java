package dev.raceway.server.config;

import java.nio.file.Path;
import java.util.Objects;

/** {@code [server.tls]}: PEM certificate chain and PKCS#8 private key. */
public record TlsSettings(Path certPath, Path keyPath) {
    public TlsSettings {
        Objects.requireNonNull(certPath, "certPath");
        Objects.requireNonNull(keyPath, "keyPath");
    }
}

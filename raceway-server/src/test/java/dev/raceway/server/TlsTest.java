package dev.raceway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.server.config.ConfigException;
import dev.raceway.server.config.ServerConfiguration;
import dev.raceway.server.config.TlsSettings;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native TLS from PEM files ({@code [server.tls]}). */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void serverSpeaksHttpsWithTheConfiguredCertificate() throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("localhost").build();
        Path certFile = Files.writeString(dir.resolve("cert.pem"), cert.certificatePem());
        Path keyFile = Files.writeString(dir.resolve("key.pem"), cert.privateKeyPkcs8Pem());
        try (RacewayServer server = RacewayServer.start(ServerConfiguration.builder()
                .server(s -> s.port(0).tls(new TlsSettings(certFile, keyFile))).build())) {
            assertThat(server.baseUrl()).startsWith("https://");
            HandshakeCertificates trust = new HandshakeCertificates.Builder()
                    .addTrustedCertificate(cert.certificate()).build();
            Http https = new Http(server.baseUrl(), HttpClient.newBuilder().sslContext(trust.sslContext())
                    .connectTimeout(Duration.ofSeconds(10)).build());
            assertThat(https.get("/health").statusCode()).isEqualTo(200);
            UUID trace = UUID.randomUUID();
            assertThat(https.post("/events", Http.gzip(Events.body(Events.trace(trace, 2, "tls"))),
                    "Content-Type", "application/json", "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
            Http.await("event over TLS stored", () -> server.store().traceEvents(trace).size() == 2);

            // A plain-HTTP client gets nowhere.
            Http plain = new Http(server.baseUrl().replace("https://", "http://"));
            assertThatThrownBy(() -> plain.get("/health")).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void unreadablePemIsAStartupErrorNamingTheFiles() throws Exception {
        Path certFile = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Path keyFile = Files.writeString(dir.resolve("key.pem"), "not a key");
        assertThatThrownBy(() -> RacewayServer.start(ServerConfiguration.builder()
                .server(s -> s.port(0).tls(new TlsSettings(certFile, keyFile))).build()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cert.pem").hasMessageContaining("[server.tls]");
    }
}

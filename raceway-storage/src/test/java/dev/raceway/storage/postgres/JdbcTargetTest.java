package dev.raceway.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.storage.PostgresStoreConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JdbcTargetTest {

    private static JdbcTarget of(String s) {
        return JdbcTarget.from(PostgresStoreConfig.of(s));
    }

    @Test
    void convertsTheGuideForm() {
        JdbcTarget t = of("postgresql://user:pass@localhost/raceway");

        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/raceway");
        assertThat(t.user()).contains("user");
        assertThat(t.password()).contains("pass");
    }

    @Test
    void keepsPortParametersAndDecodesCredentials() {
        JdbcTarget t = of("postgres://raceway:p%40ss%2Fw%3Ard@db.example.com:6543/events?sslmode=verify-full"
                + "&application_name=raceway");

        assertThat(t.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db.example.com:6543/events?sslmode=verify-full&application_name=raceway");
        assertThat(t.user()).contains("raceway");
        assertThat(t.password()).contains("p@ss/w:rd");
    }

    @Test
    void acceptsAnUnencodedAtSignInThePassword() {
        JdbcTarget t = of("postgresql://u:a@b@host:5432/db");

        assertThat(t.password()).contains("a@b");
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/db");
    }

    @Test
    void acceptsIpv6HostsAndMissingCredentials() {
        JdbcTarget t = of("postgresql://[::1]:5432/db");

        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
        assertThat(t.user()).isEmpty();
        assertThat(t.password()).isEmpty();
    }

    @Test
    void takesCredentialsFromParametersToo() {
        JdbcTarget t = of("postgresql://host/db?user=a&password=b&connectTimeout=5");

        assertThat(t.user()).contains("a");
        assertThat(t.password()).contains("b");
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://host/db?connectTimeout=5");
    }

    @Test
    void supabaseRequiresTlsAndDisablesServerSidePreparedStatements() {
        JdbcTarget t = JdbcTarget.from(PostgresStoreConfig.of(
                "postgresql://postgres.xxx:pass@aws-0-us-east-1.pooler.supabase.com:5432/postgres").asSupabase());

        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://aws-0-us-east-1.pooler.supabase.com:5432/postgres"
                + "?sslmode=require&prepareThreshold=0");
        JdbcTarget explicit = JdbcTarget.from(PostgresStoreConfig.of("postgresql://h/db?sslmode=verify-full")
                .asSupabase());
        assertThat(explicit.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?sslmode=verify-full&prepareThreshold=0");
    }

    @Test
    void jdbcUrlsPassThrough() {
        assertThat(of("jdbc:postgresql://h:1/db?x=y")).isEqualTo(
                new JdbcTarget("jdbc:postgresql://h:1/db?x=y", Optional.empty(), Optional.empty()));
    }

    @Test
    void rejectsOtherSchemesBadPortsAndBadEncodingWithoutLeakingThePassword() {
        assertThatThrownBy(() -> of("mysql://u:secret@h/db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with postgresql://").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> of("postgresql://h:99999/db")).hasMessageContaining("port must be 1-65535");
        assertThatThrownBy(() -> of("postgresql://h:abc/db")).hasMessageContaining("invalid port 'abc'");
        assertThatThrownBy(() -> of("postgresql://u:%zz@h/db")).hasMessageContaining("percent-encoding");
        assertThatThrownBy(() -> of("postgresql://[::1/db")).hasMessageContaining("IPv6");
    }

    @Test
    void settingsAreValidatedAndNeverPrintThePassword() {
        assertThatThrownBy(() -> PostgresStoreConfig.of(" ")).hasMessageContaining("connection_string is required");
        assertThatThrownBy(() -> PostgresStoreConfig.of("postgresql://h/db").withPool(0, 0, 1))
                .hasMessageContaining("max_connections must be >= 1");
        assertThatThrownBy(() -> PostgresStoreConfig.of("postgresql://h/db").withPool(2, 3, 1))
                .hasMessageContaining("min_connections (3) must not exceed max_connections (2)");
        assertThatThrownBy(() -> PostgresStoreConfig.of("postgresql://h/db").withPool(2, 1, 0))
                .hasMessageContaining("connection_timeout_seconds must be >= 1");
        assertThat(PostgresStoreConfig.of("postgresql://u:secret@h/db").toString()).doesNotContain("secret");
    }
}

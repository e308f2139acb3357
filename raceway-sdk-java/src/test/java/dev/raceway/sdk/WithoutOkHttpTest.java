package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.sdk.internal.Transports;
import io.opentelemetry.context.Scope;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An application without OkHttp on its class path needs nothing extra: a real JVM started on the test class path
 * minus OkHttp (and okio, Kotlin) picks the {@code java.net.http} transport by itself, and its events reach a
 * real HTTP server.
 */
class WithoutOkHttpTest {

    @Test
    void aJvmWithoutOkHttpSendsOverJavaNetHttp() throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        assertThat(entries).as("the real test class path").hasSizeGreaterThan(3);
        List<String> without = Arrays.stream(entries)
                .filter(e -> !e.contains("okhttp") && !e.contains("okio") && !e.contains("kotlin"))
                .toList();
        assertThat(without).hasSizeLessThan(entries.length);
        try (RecordingSink sink = new RecordingSink()) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", String.join(File.pathSeparator, without), Program.class.getName(), sink.endpoint())
                    .redirectErrorStream(true).start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("transport=jdk").contains("sent=5");
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(sink.accepted()).hasSize(5);
            assertThat(sink.requests().get(0).headers().get("X-Raceway-Internal")).isEqualTo("true");
        }
    }

    /** The application: builds a client with no transport setting, records five events, flushes. */
    public static final class Program {
        public static void main(String[] args) {
            boolean okHttp = true;
            try {
                Class.forName("okhttp3.OkHttpClient");
            } catch (ClassNotFoundException expected) {
                okHttp = false;
            }
            int exit;
            try (RacewayClient client = RacewayClient.builder(args[0], "no-okhttp").build()) {
                try (Scope ignored = client.newTrace().makeCurrent()) {
                    for (int i = 0; i < 5; i++) {
                        client.trackStateChange("x", i, i + 1, AccessType.Write);
                    }
                }
                boolean flushed = client.flush();
                RacewayStats s = client.stats();
                System.out.println("okhttp=" + okHttp + " transport=" + Transports.automaticName() + " sent="
                        + s.sent() + " flushed=" + flushed);
                exit = !okHttp && flushed && s.sent() == 5 ? 0 : 1;
            }
            System.exit(exit);
        }
    }
}

package dev.raceway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each example program, started as {@code run} starts it (its own JVM), answers a bad option with one message and
 * its usage line and exit status 2: no stack trace, nothing started.
 */
class BadOptionsTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            banking.BankingApp               | --prot=3000          | banking: unknown option --prot                       | banking
            banking.BankingApp               | --mode=careful       | banking: --mode: mode must be racy or fixed          | banking
            banking.BankingApp               | --port=99999         | banking: --port must be a port between 0 and 65535   | banking
            banking.BankingApp               | --latency-ms=soon    | banking: --latency-ms must be an integer             | banking
            banking.BankingApp               | --raceway=localhost  | banking: --raceway must be an http:// or https://    | banking
            banking.BankingApp               | racy                 | banking: expected --name=value, got 'racy'           | banking
            banking.TransferDriver           | --transfers=0        | banking-driver: --transfers must be at least 1       | banking-driver
            banking.TransferDriver           | --url=127.0.0.1:3000 | banking-driver: --url must be an http:// or https:// | banking-driver
            distributed.DistributedExample   | --gateway-port=-2    | distributed: --gateway-port must be a port           | distributed
            background.BackgroundApp         | --verbose=1          | background: unknown option --verbose                 | background
            embedded.EmbeddedAnalysis        | --files=x.json       | embedded: unknown option --files                     | embedded
            """)
    void aBadOptionIsOneMessageAndTheUsageLine(String main, String option, String message, String example,
                                              @TempDir Path tmp) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "dev.raceway.examples." + main, option));
        Path log = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).startsWith(message).contains("usage: raceway-examples/run " + example + " [--")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(output.strip().lines()).hasSize(2);
    }
}

package dev.raceway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every unknown or malformed option is refused before anything runs: exit code 2, one line saying what is wrong,
 * then the command's usage line. No server is needed: nothing may be started or contacted.
 */
class CliFlagErrorsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String line) {
        String[] argv = line.isEmpty() ? new String[0] : line.split(" ");
        // RACEWAY_SERVER points nowhere: a command that wrongly went ahead would fail differently (exit 1).
        Map<String, String> env = Map.of("RACEWAY_SERVER", "http://127.0.0.1:1");
        return new RacewayCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get).run(argv);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            serve --prot 18301                 | unknown option --prot                               | serve
            serve --port                       | --port needs a value                                | serve
            serve --port eighty                | --port must be an integer, got 'eighty'             | serve
            serve --port 70000                 | --port must be between 0 and 65535, got 70000       | serve
            serve --port=-1                    | --port must be between 0 and 65535, got -1          | serve
            serve --host                       | --host needs a value                                | serve
            serve --host=                      | --host needs a value                                | serve
            serve --verbose=yes                | --verbose takes no value                            | serve
            serve now                          | unexpected argument 'now'                           | serve
            serve --port 1 --port 2            | --port given twice                                  | serve
            serve --server http://x            | unknown option --server                             | serve
            traces --page 0                    | --page must be between 1 and                        | traces
            traces --page-size 1001            | --page-size must be between 1 and 1000, got 1001    | traces
            traces --page-size ten             | --page-size must be an integer, got 'ten'           | traces
            traces --min-duration-ms -5        | --min-duration-ms must not be negative, got -5      | traces
            traces --max-duration-ms 1.5       | --max-duration-ms must be an integer, got '1.5'     | traces
            traces --since yesterday           | --since must be an RFC 3339 time                    | traces
            traces --until 2026-01-01          | --until must be an RFC 3339 time                    | traces
            traces --has-races=yes             | --has-races takes no value                          | traces
            traces --limit 5                   | unknown option --limit                              | traces
            traces abc                         | unexpected argument 'abc'                           | traces
            traces -x                          | unknown option -x                                   | traces
            trace                              | missing trace ID                                    | trace
            trace a b                          | unexpected argument 'b'                             | trace
            trace a --jsn                      | unknown option --jsn                                | trace
            trace -i                           | -i needs one trace ID                               | trace
            races --server                     | --server needs a value                              | races
            races --verbose                    | unknown option --verbose                            | races
            export abc                         | export needs -o FILE                                | export
            export abc -o                      | -o needs a value                                    | export
            import                             | missing FILE                                        | import
            import a.json b.json               | unexpected argument 'b.json'                        | import
            version --json                     | unknown option --json                               | version
            """)
    void isAUsageErrorWithTheCommandsUsageLine(String line, String message, String command) {
        assertThat(run(line.strip())).as(err()).isEqualTo(2);
        String[] lines = err().split("\n");
        assertThat(lines[0]).startsWith("raceway: " + message.strip());
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("Usage: raceway " + command.strip());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnknownCommandPrintsTheWholeUsage() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).startsWith("raceway: unknown command 'frobnicate'").contains("Usage: raceway <command>")
                .contains("  serve ").contains("  import FILE");
    }

    @Test
    void noArgumentsAtAllPrintsTheUsageAndFails() {
        assertThat(run("")).isEqualTo(2);
        assertThat(err()).contains("Usage: raceway <command>");
    }

    @Test
    void helpIsNotAnError() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serve [--config PATH] [--host HOST] [--port N]");
        out.reset();
        assertThat(run("serve --help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: raceway serve [--config PATH] [--host HOST] [--port N] [-v|--verbose]");
        assertThat(err()).isEmpty();
    }

    @Test
    void theUsageLineOfAClientCommandShowsServer() {
        assertThat(run("races --bogus")).isEqualTo(2);
        assertThat(err()).contains("Usage: raceway races [--since TIME] [--until TIME] [--json] [--server URL]");
    }
}

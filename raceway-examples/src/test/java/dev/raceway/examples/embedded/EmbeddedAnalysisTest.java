package dev.raceway.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.json.MalformedBatchException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAnalysisTest {

    private static String sampleReport() throws Exception {
        return FindingsReport.render("sample", EmbeddedAnalysis.analyzeSample());
    }

    @Test
    void readsEveryEventOfTheSampleWithoutRejections() throws Exception {
        assertThat(sampleReport()).startsWith("Read 27 events in 11 traces from sample (0 rejected)");
    }

    @Test
    void fixtureTraceShowsOneCriticalRaceOnBalanceBetweenTheTwoWorkers() throws Exception {
        String fixture = traceSection(sampleReport(), "aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa");
        assertThat(fixture).contains("races: 1 (1 critical, 0 warning)");
        assertThat(fixture).containsPattern("CRITICAL race on balance: \\[worker-\\d] Write .*vs  \\[worker-\\d] Write");
    }

    @Test
    void fixtureCriticalPathCovers19msOfThe22msWallClock() throws Exception {
        // Durations sum to 26 ms on the path and 37 ms in the trace (the reference's numbers), but events overlap:
        // on the wall clock the trace lasts 22 ms and the path covers 19 ms of it.
        String fixture = traceSection(sampleReport(), "aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa");
        assertThat(fixture).contains("critical path: 19.00 ms of the trace's 22.00 ms wall clock (86.4%)");
    }

    @Test
    void twoTransferRequestsLosingAnUpdateAreACrossTraceCriticalRace() throws Exception {
        String report = sampleReport();
        String global = report.substring(report.indexOf("Between traces"));
        assertThat(global).startsWith("Between traces: 3 racing pairs (1 critical, 2 warning)");
        assertThat(global).contains("CRITICAL cross-trace race on alice.balance: trace 11110000 [http-worker-1] "
                + "Write 1000 -> 900 @ Bank.java:88  vs  trace 22220000 [http-worker-2] Write 1000 -> 900 @ Bank.java:88");
        // inside each transfer trace alone there is nothing to see: one thread, program order
        assertThat(traceSection(report, "11110000-0000-4000-8000-111111111111")).contains("races: none");
    }

    @Test
    void slowReportCallIsALatencyAnomalyAgainstTheOtherSix() throws Exception {
        String report = sampleReport();
        assertThat(traceSection(report, "33330006-0000-4000-8000-333333333333"))
                .containsPattern("anomaly \\(Critical\\): FunctionCall\\(generate_report\\) took 250\\.00ms");
        for (int i = 0; i < 6; i++) {
            assertThat(traceSection(report, "3333000" + i + "-0000-4000-8000-333333333333"))
                    .contains("anomalies: none");
        }
    }

    @Test
    void oppositeLockOrderIsAPotentialDeadlock() throws Exception {
        assertThat(traceSection(sampleReport(), "44440000-0000-4000-8000-444444444444"))
                .contains("CRITICAL Potential deadlock: locks accounts, ledger are acquired in opposite orders");
    }

    @Test
    void invalidEventsAreReportedAndTheValidOnesStillAnalysed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events.json");
        String sample = new String(EmbeddedAnalysis.class.getResourceAsStream(EmbeddedAnalysis.SAMPLE).readAllBytes(),
                StandardCharsets.UTF_8);
        String broken = sample.replaceFirst("\"events\": \\[", "\"events\": [{\"id\": \"not-a-uuid\"},");
        Files.writeString(file, broken);
        String report = FindingsReport.render(file.toString(), EmbeddedAnalysis.analyze(file));
        assertThat(report).startsWith("Read 27 events in 11 traces from " + file + " (1 rejected)");
        assertThat(report).contains("rejected: ");
        assertThat(report).contains("critical path: 19.00 ms of the trace's 22.00 ms wall clock");
    }

    @Test
    void aFileThatIsNotAnEventBatchIsRefusedWithTheReason() {
        assertThatThrownBy(() -> EmbeddedAnalysis.analyze(
                new ByteArrayInputStream("[1,2,3]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(MalformedBatchException.class);
    }

    /** The report lines of one trace: from its header to the next blank line. */
    private static String traceSection(String report, String traceId) {
        int start = report.indexOf("Trace " + traceId);
        assertThat(start).as("report has a section for trace %s:%n%s", traceId, report).isNotNegative();
        int end = report.indexOf("\n\n", start);
        return report.substring(start, end < 0 ? report.length() : end);
    }
}

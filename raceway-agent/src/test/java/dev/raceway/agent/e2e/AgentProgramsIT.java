package dev.raceway.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.raceway.server.RacewayServer;
import dev.raceway.agent.e2e.AgentJvm.Run;
import dev.raceway.server.config.ServerConfiguration;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts the small programs of {@code dev.raceway.programs.Programs} in their own JVMs under the built agent jar,
 * against a real Raceway server, and asks the server's global race analysis what it found. No program contains a
 * tracking call.
 */
class AgentProgramsIT {
    private static final String PACKAGE = "dev.raceway.programs";
    private static RacewayServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = RacewayServer.start(ServerConfiguration.builder().server(s -> s.port(0)).durableAck(true).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static ProcessBuilder program(String... args) {
        return AgentJvm.command(server, PACKAGE, System.getProperty("raceway.test.classes", "target/test-classes"),
                "dev.raceway.programs.Programs", args);
    }

    static Run run(String... args) throws Exception {
        return AgentJvm.run(program(args));
    }

    static long accesses(String prefix) {
        return AgentJvm.accesses(server, prefix);
    }

    static List<JsonNode> races(String prefix) throws Exception {
        return AgentJvm.races(server, prefix);
    }

    private void expectRace(String scenario, String variablePrefix) throws Exception {
        Run run = run(scenario);
        assertThat(run.exit()).as(run.stderr()).isZero();
        List<JsonNode> races = races(variablePrefix);
        assertThat(races).as("races on " + variablePrefix + "; stderr: " + run.stderr()).isNotEmpty();
        assertThat(races.get(0).path("potential_races").asLong()).isPositive();
    }

    private Run expectNoRace(String scenario, String variablePrefix) throws Exception {
        Run run = run(scenario);
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(accesses(variablePrefix)).as("accesses to " + variablePrefix + " were recorded").isPositive();
        assertThat(races(variablePrefix)).as("races on " + variablePrefix).isEmpty();
        return run;
    }

    @Test
    void anUnsynchronisedCounterIsARace() throws Exception {
        expectRace("racy", "Programs$RacyCounter#");
    }

    @Test
    void theOwnerFastPathReportsOneReadAndOneWritePerSynchronisationIntervalAndEveryAccessOnceShared()
            throws Exception {
        Run run = run("owner-loop");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("100004");
        // 100,000 increments: one read and one write; after the synchronized block and the thread start: the
        // next increment's read and write; the other thread's 3 increments (6 accesses); after the join, the read
        // of the result: 11 of the 200,009 accesses.
        assertThat(accesses("Programs$Solo#")).as(run.stderr()).isEqualTo(11);
        assertThat(races("Programs$Solo#")).isEmpty();
    }

    @Test
    void aStageClaimedByItsCreatorRightAfterItsSourceCompletedIsOrderedAfterTheSource() throws Exception {
        assertThat(expectNoRace("stages", "Programs$Staged#").result()).isEqualTo("200");
    }

    @Test
    void aCombiningStageFiredByItsCreatorIsOrderedAfterBothSources() throws Exception {
        assertThat(expectNoRace("combined-stages", "Programs$Combined#").result()).isEqualTo("100");
    }

    @Test
    void aCounterUnderSynchronizedIsNoRace() throws Exception {
        assertThat(expectNoRace("synchronized", "Programs$SyncCounter#").result()).isEqualTo("4000");
    }

    @Test
    void aCounterUnderAReentrantLockIsNoRace() throws Exception {
        assertThat(expectNoRace("reentrant-lock", "Programs$LockedCounter#").result()).isEqualTo("4000");
    }

    @Test
    void anAtomicIntegerIsNoRace() throws Exception {
        Run run = run("atomic");
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("4000");
        assertThat(accesses("AtomicInteger#")).isPositive();
        assertThat(races("AtomicInteger#")).isEmpty();
    }

    @Test
    void publicationThroughAVolatileFlagIsNoRace() throws Exception {
        assertThat(expectNoRace("volatile-flag", "Programs$Published#").result()).isEqualTo("42");
    }

    @Test
    void startAndJoinOrderTheThreads() throws Exception {
        assertThat(expectNoRace("start-join", "Programs$Handed#").result()).isEqualTo("22");
    }

    @Test
    void executorTasksFutureGetAndCompletableFutureStagesOrderTheWork() throws Exception {
        assertThat(expectNoRace("executor", "Programs$Submitted#").result()).isEqualTo("27");
    }

    @Test
    void aHandOffThroughWaitAndNotifyIsNoRace() throws Exception {
        assertThat(expectNoRace("wait-notify", "Programs$Mailbox#").result()).isEqualTo("hello");
    }

    @Test
    void aHandOffThroughACountDownLatchIsNoRace() throws Exception {
        assertThat(expectNoRace("latch", "Programs$Config#").result()).isEqualTo("7");
    }

    @Test
    void forkJoinHalvesAddingToOneTotalAreARace() throws Exception {
        expectRace("fork-join-racy", "Programs$ForkTotal#");
    }

    @Test
    void forkJoinHalvesCombinedThroughJoinAndSubmittedAndExecutedTasksAreNoRace() throws Exception {
        // sum 0..3999 = 7998000; box: 0 -> +1 = 1 -> *3 = 3
        assertThat(expectNoRace("fork-join", "Programs$SumTask#").result()).isEqualTo(Long.toString(7998000 + 1 + 3));
        assertThat(races("Programs$PoolBox#")).isEmpty();
        assertThat(accesses("Programs$PoolBox#")).isPositive();
    }

    @Test
    void aParallelStreamIncrementingOneCounterIsARace() throws Exception {
        expectRace("parallel-stream-racy", "Programs$StreamTally#");
    }

    @Test
    void aParallelStreamsWritesAreOrderedBeforeTheCallersReadsAfterIt() throws Exception {
        assertThat(expectNoRace("parallel-stream", "Programs$Cell#").result()).isEqualTo("56");
    }

    @Test
    void publicationThroughAVarHandleReleaseAcquireFlagIsNoRace() throws Exception {
        Run run = expectNoRace("varhandle-release", "Programs$Gate#");
        assertThat(run.result()).isEqualTo("42/12/written after start");
        assertThat(AgentJvm.variables(server, "Programs$Gate#")).as("the VarHandle accesses are recorded")
                .anyMatch(v -> v.endsWith(".READY")).anyMatch(v -> v.endsWith(".TICKETS"))
                .anyMatch(v -> v.endsWith(".NOTE"));
    }

    @Test
    void aCounterUpdatedWithPlainVarHandleGetAndSetIsARace() throws Exception {
        expectRace("varhandle-plain", "Programs$PlainCell#");
    }

    @Test
    void brokenLazyInitialisationIsARace() throws Exception {
        expectRace("lazy-init", "Programs$Registry.instance");
    }

    @Test
    void twoConcurrentRequestsOnOneBalanceAreACriticalCrossTraceRace() throws Exception {
        Run run = serveTwoWithdrawals("racy");
        assertThat(Integer.parseInt(run.result())).isIn(800, 900);
        List<JsonNode> races = races("Programs$Account#");
        assertThat(races).as(run.stderr()).isNotEmpty();
        assertThat(AgentJvm.requestTracesWriting(server, "Programs$Account#")).as("one trace per request").isEqualTo(2);
        assertThat(races.get(0).path("critical").asLong()).isPositive();
        assertThat(races.get(0).path("between_traces").asLong()).isPositive();
    }

    @Test
    void theSameRequestsUnderALockAreNoRace() throws Exception {
        Run run = serveTwoWithdrawals("locked");
        assertThat(run.result()).isEqualTo("800");
        assertThat(accesses("Programs$LockedAccount#")).isPositive();
        assertThat(races("Programs$LockedAccount#")).isEmpty();
    }

    @Test
    void aBadSettingIsOneLineAndTheProgramRunsUninstrumented() throws Exception {
        List<String> cmd = new ArrayList<>(program("start-join").command());
        cmd.replaceAll(a -> a.startsWith("-Draceway.endpoint=") ? "-Draceway.endpoint=ftp://nowhere" : a);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(stdout).contains("result=22");
        assertThat(stderr.lines().filter(l -> l.startsWith("raceway-agent:")))
                .containsExactly("raceway-agent: raceway.endpoint must be an http(s) URL with a host, got "
                        + "ftp://nowhere; the application runs uninstrumented");
    }

    @Test
    void aClassThatCannotBeTransformedIsSkippedCountedAndStillRuns() throws Exception {
        // 6000 increments of a static field fit in a method; with a bridge call next to every access they do not.
        Path dir = Files.createTempDirectory("huge");
        Path file = dir.resolve("dev/raceway/programs/Huge.class");
        Files.createDirectories(file.getParent());
        Files.write(file, HugeClass.bytes("dev/raceway/programs/Huge", 6000));
        String classpath = dir + File.pathSeparator + System.getProperty("raceway.test.classes", "target/test-classes");
        Run run = AgentJvm.run(AgentJvm.command(server, PACKAGE, classpath, "dev.raceway.programs.Programs", "load",
                "dev.raceway.programs.Huge"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("6000");
        assertThat(run.stderr()).containsPattern("raceway-agent: \\d+ classes instrumented, 1 skipped");
    }

    private static ProcessBuilder serviceProgram(String... args) {
        return AgentJvm.command(server, PACKAGE, System.getProperty("java.class.path"),
                "dev.raceway.programs.ServicePrograms", args);
    }

    @Test
    void callsOutCarryTheTraceAndTheResponseClockOrdersTheCalleeBeforeTheCaller() throws Exception {
        Run run = AgentJvm.run(serviceProgram("outbound"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("5");
        java.util.Set<java.util.UUID> traces = new java.util.HashSet<>();
        server.store().forEachTraceWithStateChanges(events -> events.forEach(e -> {
            if (e.kind() instanceof dev.raceway.core.event.EventKind.StateChange s
                    && s.variable().startsWith("ServicePrograms$Hits#")) {
                traces.add(e.traceId());
            }
        }));
        assertThat(accesses("ServicePrograms$Hits#")).as(run.stderr()).isGreaterThanOrEqualTo(3);
        assertThat(traces).as("HttpURLConnection and HttpClient calls propagate the trace").hasSize(1);
        assertThat(races("ServicePrograms$Hits#")).as("the response clocks order the handlers before the caller")
                .isEmpty();
    }

    @Test
    void twoConcurrentServletRequestsOnOneBalanceAreACriticalCrossTraceRace() throws Exception {
        Run run = serveTwoWithdrawals(serviceProgram("servlet"));
        assertThat(Integer.parseInt(run.result())).isIn(800, 900);
        List<JsonNode> races = races("ServicePrograms$Vault#");
        assertThat(races).as(run.stderr()).isNotEmpty();
        assertThat(AgentJvm.requestTracesWriting(server, "ServicePrograms$Vault#")).as("one trace per request")
                .isEqualTo(2);
        assertThat(races.get(0).path("critical").asLong()).isPositive();
        assertThat(races.get(0).path("between_traces").asLong()).isPositive();
    }

    private Run serveTwoWithdrawals(String mode) throws Exception {
        return serveTwoWithdrawals(program("http", mode));
    }

    /** Runs an HTTP program, sends two overlapping withdrawals from this (uninstrumented) JVM, stops it. */
    private Run serveTwoWithdrawals(ProcessBuilder command) throws Exception {
        AgentJvm.Serving serving = new AgentJvm.Serving(command);
        URI uri = URI.create("http://127.0.0.1:" + serving.port + "/withdraw");
        HttpRequest post = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build();
        CompletableFuture<HttpResponse<String>> a = http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = http.sendAsync(post, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ra = a.get(30, TimeUnit.SECONDS);
        HttpResponse<String> rb = b.get(30, TimeUnit.SECONDS);
        assertThat(ra.statusCode()).isEqualTo(200);
        assertThat(rb.statusCode()).isEqualTo(200);
        assertThat(ra.headers().firstValue("raceway-clock")).as("the response clock").isPresent();
        return serving.stop();
    }

    /** The ledger service (its own JVM under the agent) called by a front service (another) through OkHttp. */
    private Run callTheLedgerWithOkHttp(String mode) throws Exception {
        String classpath = System.getProperty("java.class.path");
        AgentJvm.Serving ledger = new AgentJvm.Serving(AgentJvm.serviceCommand(server, "ledger", PACKAGE, classpath,
                "dev.raceway.programs.ServicePrograms", "ledger"));
        Run front = AgentJvm.run(AgentJvm.serviceCommand(server, "front", PACKAGE, classpath,
                "dev.raceway.programs.ServicePrograms", "okhttp-front", Integer.toString(ledger.port), mode));
        Run served = ledger.stop();
        assertThat(front.exit()).as(front.stderr()).isZero();
        assertThat(served.exit()).as(served.stderr()).isZero();
        return front;
    }

    @Test
    void okHttpCallsFromTwoThreadsJoinTheCallersTraceAndTheirUnlockedUpdateIsARace() throws Exception {
        Run front = callTheLedgerWithOkHttp("concurrent");
        assertThat(Integer.parseInt(front.result())).isIn(800 + 900, 900 + 900);
        assertThat(AgentJvm.servicesOfTracesTouching(server, "ServicePrograms$Ledger#"))
                .as("both calls carry the front's trace into the ledger").containsExactly(Set.of("front", "ledger"));
        List<JsonNode> races = races("ServicePrograms$Ledger#");
        assertThat(races).as(front.stderr()).isNotEmpty();
        assertThat(races.get(0).path("potential_races").asLong()).isPositive();
    }

    @Test
    void okHttpCallsOneAfterTheOtherAreOrderedByTheResponseClock() throws Exception {
        Run front = callTheLedgerWithOkHttp("sequential");
        assertThat(front.result()).isEqualTo(Integer.toString(10 + 20));
        assertThat(AgentJvm.servicesOfTracesTouching(server, "ServicePrograms$Till#"))
                .containsExactly(Set.of("front", "ledger"));
        assertThat(accesses("ServicePrograms$Till#")).isGreaterThanOrEqualTo(4);
        assertThat(races("ServicePrograms$Till#")).as("the first response's clock orders the second call").isEmpty();
    }

    /**
     * Class files older than Java 11 cannot hold a site's field state as a dynamic constant; the agent reads it
     * from its table instead. A racy counter and a locked one, compiled for Java 8, under the agent.
     */
    @Test
    void classFilesOlderThanJava11AreTrackedToo() throws Exception {
        Path dir = Files.createTempDirectory("java8-program");
        Path source = dir.resolve("old/OldCounters.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, String.join("\n",
                "package old;",
                "public class OldCounters {",
                "    static int racy;",
                "    static int locked;",
                "    public static void main(String[] args) throws InterruptedException {",
                "        Runnable body = new Runnable() {",
                "            public void run() {",
                "                for (int i = 0; i < 500; i++) {",
                "                    racy++;",
                "                    synchronized (OldCounters.class) { locked++; }",
                "                }",
                "            }",
                "        };",
                "        Thread a = new Thread(body);",
                "        Thread b = new Thread(body);",
                "        a.start(); b.start(); a.join(); b.join();",
                "        System.out.println(\"result=\" + locked);",
                "    }",
                "}"));
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "--release", "8", "-Xlint:-options", "-d", dir.toString(),
                source.toString())).isZero();
        byte[] classFile = Files.readAllBytes(dir.resolve("old/OldCounters.class"));
        assertThat(((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF)).as("class file major version").isEqualTo(52);
        Run run = AgentJvm.run(AgentJvm.command(server, "old", dir.toString(), "old.OldCounters"));
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.result()).isEqualTo("1000");
        assertThat(races("OldCounters.racy")).as(run.stderr()).isNotEmpty();
        assertThat(accesses("OldCounters.locked")).isPositive();
        assertThat(races("OldCounters.locked")).isEmpty();
    }
}

package dev.raceway.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.raceway.core.event.EventKind;
import dev.raceway.server.RacewayServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Starts programs in their own JVM under the built agent jar, and reads what a server made of them. */
final class AgentJvm {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AgentJvm() {
    }

    /** A program run: its exit code, stdout and stderr. */
    record Run(int exit, String stdout, String stderr) {
        String result() {
            return stdout.lines().filter(l -> l.startsWith("result=")).findFirst().map(l -> l.substring(7))
                    .orElseThrow(() -> new AssertionError("no result line; stdout: " + stdout + " stderr: " + stderr));
        }
    }

    static String agentJar() {
        String jar = System.getProperty("raceway.agent.jar", "target/raceway-agent.jar");
        assertThat(new File(jar)).as("the agent jar (built by `package`)").exists();
        return jar;
    }

    /** {@code java -javaagent:raceway-agent.jar -Draceway.…=… -cp classpath mainClass args}. */
    static ProcessBuilder command(RacewayServer server, String packages, String classpath, String mainClass,
                                  String... args) {
        return serviceCommand(server, "programs", packages, classpath, mainClass, args);
    }

    /** The same, as service {@code serviceName}. */
    static ProcessBuilder serviceCommand(RacewayServer server, String serviceName, String packages, String classpath,
                                  String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-javaagent:" + agentJar());
        cmd.add("-Draceway.endpoint=" + server.baseUrl());
        cmd.add("-Draceway.service_name=" + serviceName);
        cmd.add("-Draceway.packages=" + packages);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    static Run run(ProcessBuilder command) throws Exception {
        Path out = Files.createTempFile("program", ".out");
        Path err = Files.createTempFile("program", ".err");
        Process p = command.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("program " + command.command() + " ended").isTrue();
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return run;
    }

    /** A program serving HTTP until its stdin closes; it prints {@code port=<n>} first. */
    static final class Serving {
        private final Process process;
        private final BufferedReader out;
        private final Path err;
        private final StringBuilder stdout = new StringBuilder();
        final int port;

        Serving(ProcessBuilder command) throws Exception {
            err = Files.createTempFile("program", ".err");
            process = command.redirectError(err.toFile()).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            while (line != null && !line.startsWith("port=")) {
                line = out.readLine(); // e.g. a logging library's start-up lines
            }
            assertThat(line).as("port line; stderr: " + Files.readString(err)).startsWith("port=");
            stdout.append(line).append('\n');
            port = Integer.parseInt(line.substring(5));
        }

        /** Closes its stdin and waits for it to end. */
        Run stop() throws Exception {
            process.getOutputStream().close();
            for (String line; (line = out.readLine()) != null; ) {
                stdout.append(line).append('\n');
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Run run = new Run(process.exitValue(), stdout.toString(), Files.readString(err));
            Files.deleteIfExists(err);
            return run;
        }
    }

    /** The service names of the events of each trace holding a StateChange of a variable starting with {@code prefix}. */
    static List<java.util.Set<String>> servicesOfTracesTouching(RacewayServer server, String prefix) {
        List<java.util.Set<String>> found = new ArrayList<>();
        server.store().forEachTraceWithStateChanges(events -> {
            if (events.stream().anyMatch(e -> e.kind() instanceof EventKind.StateChange s
                    && s.variable().startsWith(prefix))) {
                java.util.Set<String> services = new java.util.TreeSet<>();
                events.forEach(e -> services.add(e.metadata().serviceName()));
                found.add(services);
            }
        });
        return found;
    }

    /** The number of StateChange events stored for variables starting with {@code prefix}. */
    static long accesses(RacewayServer server, String prefix) {
        AtomicLong n = new AtomicLong();
        server.store().forEachTraceWithStateChanges(events -> events.forEach(e -> {
            if (e.kind() instanceof EventKind.StateChange s && s.variable().startsWith(prefix)) {
                n.incrementAndGet();
            }
        }));
        return n.get();
    }

    /** The distinct variables starting with {@code prefix} that StateChange events were stored for. */
    static java.util.Set<String> variables(RacewayServer server, String prefix) {
        java.util.Set<String> found = java.util.concurrent.ConcurrentHashMap.newKeySet();
        server.store().forEachTraceWithStateChanges(events -> events.forEach(e -> {
            if (e.kind() instanceof EventKind.StateChange s && s.variable().startsWith(prefix)) {
                found.add(s.variable());
            }
        }));
        return found;
    }

    /** The global analysis' per-variable entries for variables starting with {@code prefix}. */
    static List<JsonNode> races(RacewayServer server, String prefix) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/api/analyze/global")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode v : JSON.readTree(r.body()).path("data").path("by_variable")) {
            if (v.path("variable").asText().startsWith(prefix)) {
                found.add(v);
            }
        }
        return found;
    }

    /** How many traces have a request (an HttpRequest event) and a write to a variable starting with {@code prefix}. */
    static long requestTracesWriting(RacewayServer server, String prefix) {
        AtomicLong n = new AtomicLong();
        server.store().forEachTraceWithStateChanges(events -> {
            boolean request = events.stream().anyMatch(e -> e.kind() instanceof EventKind.HttpRequest);
            boolean writes = events.stream().anyMatch(e -> e.kind() instanceof EventKind.StateChange s
                    && s.variable().startsWith(prefix) && s.accessType().isWrite());
            if (request && writes) {
                n.incrementAndGet();
            }
        });
        return n.get();
    }
}

package dev.raceway.server.cli;

import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ConfigException;
import dev.raceway.server.config.ConfigLoader;
import dev.raceway.server.config.RacewayConfig;
import dev.raceway.server.logging.LoggingSetup;
import dev.raceway.storage.StorageException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * {@code raceway serve [--config PATH] [-v]} starts the server; {@code traces}, {@code trace ID}, {@code races},
 * {@code export ID -o FILE} query a running server over HTTP, sending {@code Authorization: Bearer
 * $RACEWAY_API_KEY} when that variable is set. The server URL is {@code --server URL}, else {@code RACEWAY_SERVER},
 * else host and port of the configuration.
 */
public final class RacewayCli {
    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> env;

    RacewayCli(PrintStream out, PrintStream err, Function<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        int code = new RacewayCli(System.out, System.err, System::getenv).run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static final String USAGE = """
            Usage: raceway [--config PATH] <command> [options]

            Commands:
              serve [--config PATH] [-v|--verbose]   start the server (default config: ./raceway.toml, else built-in
                                                     defaults: memory storage on 127.0.0.1:8080)
              traces [--page N] [--page-size N] [--service NAME] [--json]
                                                     list traces, newest first
              trace ID [--json]                      one trace with its analysis
              races [--since T] [--until T] [--json] distinct races first, then pairs (/api/analyze/global;
                                                     T is RFC 3339, e.g. 2024-01-01T12:00:00Z)
              export ID -o FILE                      write the trace's full JSON to FILE
              version                                print the version

            Client options: --server URL (or RACEWAY_SERVER); the API key is read from RACEWAY_API_KEY.
            """;

    /** Runs a command; returns the process exit code. {@code serve} returns only after shutdown. */
    int run(String[] argv) {
        Args args = Args.parse(argv);
        if (args.command.isEmpty() || args.flag("help") || args.flag("h")) {
            out.print(USAGE);
            return args.command.isEmpty() && !args.flag("help") && !args.flag("h") ? 2 : 0;
        }
        try {
            return switch (args.command.get()) {
                case "serve" -> serve(args);
                case "traces" -> traces(args);
                case "trace" -> trace(args);
                case "races" -> races(args);
                case "export" -> export(args);
                case "version" -> {
                    out.println("raceway " + RacewayServer.version());
                    yield 0;
                }
                default -> {
                    err.println("raceway: unknown command '" + args.command.get() + "'\n");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            err.println("raceway: configuration error: " + e.getMessage());
            return 1;
        } catch (UsageException e) {
            err.println("raceway: " + e.getMessage());
            return 2;
        } catch (ClientException e) {
            err.println("raceway: " + e.getMessage());
            return 1;
        }
    }

    private ConfigLoader.Loaded config(Args args) {
        return new ConfigLoader(env).locateAndLoad(args.value("config").map(Path::of));
    }

    private int serve(Args args) {
        ConfigLoader.Loaded loaded = config(args);
        RacewayConfig config = loaded.config();
        if (args.flag("v") || args.flag("verbose")) {
            config = config.withServer(config.server().withVerbose(true));
        }
        LoggingSetup.apply(config.logging());
        var log = org.slf4j.LoggerFactory.getLogger(RacewayCli.class);
        log.info("configuration: {}", loaded.source().map(Path::toString).orElse("built-in defaults (no "
                + ConfigLoader.DEFAULT_FILE + " found)"));
        RacewayServer server;
        try {
            server = RacewayServer.start(config);
        } catch (StorageException e) {
            err.println("raceway: cannot open storage: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err.println("raceway: cannot start: " + e.getMessage());
            return 1;
        }
        out.println("Raceway server running at " + server.baseUrl() + "  (UI: " + server.baseUrl()
                + "/, API: " + server.baseUrl() + "/api/traces; Ctrl-C to stop)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
            stopped.countDown();
        }, "raceway-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private int traces(Args args) {
        int page = args.intValue("page", 1);
        int size = args.intValue("page-size", 20);
        String path = "/api/traces?page=" + page + "&page_size=" + size
                + args.value("service").map(s -> "&service=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                .orElse("");
        String body = get(args, path);
        if (args.flag("json")) {
            out.println(body);
            return 0;
        }
        Map<String, Object> data = data(body);
        out.printf("%-36s  %7s  %-24s  %s%n", "TRACE", "EVENTS", "LAST EVENT", "SERVICES");
        for (Object o : (List<?>) data.get("traces")) {
            Map<?, ?> t = (Map<?, ?>) o;
            out.printf("%-36s  %7s  %-24s  %s%n", t.get("trace_id"), t.get("event_count"), t.get("last_timestamp"),
                    String.join(",", ((List<?>) t.get("services")).stream().map(String::valueOf).toList()));
        }
        out.printf("page %s of %s (%s traces)%n", data.get("page"), data.get("total_pages"),
                data.get("total_traces"));
        return 0;
    }

    private int trace(Args args) {
        String id = args.positional(0, "trace ID");
        String body = get(args, "/api/traces/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (args.flag("json")) {
            out.println(body);
            return 0;
        }
        Map<String, Object> data = data(body);
        List<?> events = (List<?>) data.getOrDefault("events", List.of());
        out.println("Trace " + id + ": " + events.size() + " events");
        Object analysis = data.get("analysis");
        if (analysis instanceof Map<?, ?> a) {
            printDistinct(a);
            out.println("Potential races: " + a.get("potential_races") + " pairs (showing "
                    + a.get("shown") + " of " + a.get("total") + ")");
            if (a.get("anomalies") instanceof List<?> lines) {
                lines.forEach(out::println);
            }
        }
        return 0;
    }

 /** Distinct races shown by {@code trace} and {@code races}, at most. */
    static final int MAX_DISTINCT_SHOWN = 20;

    /** Leads with the distinct races: one line per pair of code locations, with how often they raced. */
    private void printDistinct(Map<?, ?> report) {
        List<?> distinct = report.get("distinct_races") instanceof List<?> l ? l : List.of();
        Object count = report.get("distinct_race_count") != null ? report.get("distinct_race_count") : distinct.size();
        int shown = Math.min(MAX_DISTINCT_SHOWN, distinct.size());
        out.println("Distinct races: " + count + " (showing " + shown + " of " + count + ")");
        for (Object o : distinct.subList(0, shown)) {
            Map<?, ?> d = (Map<?, ?>) o;
            List<?> loc = (List<?>) d.get("locations");
            List<?> acc = (List<?>) d.get("accesses");
            out.println("  [" + d.get("severity") + "] " + loc.get(0) + " (" + acc.get(0) + ") × " + loc.get(1)
                    + " (" + acc.get(1) + "): " + d.get("occurrences") + " pairs in " + d.get("traces")
                    + " traces; variables: " + String.join(", ", ((List<?>) d.get("variables")).stream()
                    .map(String::valueOf).toList()));
        }
    }

    private int races(Args args) {
        StringBuilder query = new StringBuilder();
        for (String bound : List.of("since", "until")) {
            args.value(bound).ifPresent(v -> query.append(query.isEmpty() ? '?' : '&').append(bound).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        }
        String body = get(args, "/api/analyze/global" + query);
        if (args.flag("json")) {
            out.println(body);
            return 0;
        }
        Map<String, Object> data = data(body);
        printDistinct(data);
        out.println("Traces: " + data.get("total_traces") + ", events: " + data.get("total_events")
                + ", potential races: " + data.get("potential_races") + " between traces, "
                + data.getOrDefault("within_trace_races", 0) + " inside traces");
        if (data.get("by_variable") instanceof List<?> variables) {
            for (Object o : variables) {
                Map<?, ?> v = (Map<?, ?>) o;
                out.println("  " + v.get("variable") + ": " + v.get("potential_races") + " pairs ("
                        + v.get("between_traces") + " between traces, " + v.get("within_trace") + " inside traces; "
                        + v.get("critical") + " critical, " + v.get("warning") + " warning)");
            }
        }
        if (data.get("race_details") instanceof List<?> details) {
            Object shown = data.get("shown") != null ? data.get("shown") : details.size();
            Object total = data.get("total") != null ? data.get("total") : data.get("potential_races");
            out.println("Race pairs between traces: showing " + shown + " of " + total);
            for (Object o : details) {
                Map<?, ?> r = (Map<?, ?>) o;
                out.println("[" + r.get("severity") + "] " + r.get("variable") + ": " + r.get("description"));
            }
        }
        return 0;
    }

    private int export(Args args) {
        String id = args.positional(0, "trace ID");
        Path file = Path.of(args.value("o").or(() -> args.value("output"))
                .orElseThrow(() -> new UsageException("export needs -o FILE")));
        String body = get(args, "/api/traces/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        try {
            Files.writeString(file, body);
        } catch (java.io.IOException e) {
            throw new ClientException("cannot write " + file + ": " + e.getMessage());
        }
        out.println("Exported trace " + id + " to " + file);
        return 0;
    }

    private String serverUrl(Args args) {
        Optional<String> explicit = args.value("server").or(() -> Optional.ofNullable(env.apply("RACEWAY_SERVER")));
        if (explicit.isPresent()) {
            return explicit.get().replaceAll("/+$", "");
        }
        RacewayConfig c = config(args).config();
        String host = c.server().host().equals("0.0.0.0") ? "127.0.0.1" : c.server().host();
        return (c.server().tls().isPresent() ? "https" : "http") + "://" + host + ":" + c.server().port();
    }

    private String get(Args args, String path) {
        String url = serverUrl(args) + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        String key = env.apply("RACEWAY_API_KEY");
        if (key != null && !key.isBlank()) {
            b.header("Authorization", "Bearer " + key.trim());
        }
        HttpResponse<String> res;
        try {
            res = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new ClientException("cannot reach " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted");
        }
        if (res.statusCode() != 200) {
            String reason = MiniJson.errorOf(res.body()).orElse(res.body());
            throw new ClientException(url + " answered " + res.statusCode() + ": " + reason
                    + (res.statusCode() == 401 ? " (set RACEWAY_API_KEY)" : ""));
        }
        return res.body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String body) {
        Object parsed = MiniJson.parse(body);
        if (parsed instanceof Map<?, ?> m && m.get("data") instanceof Map<?, ?> d) {
            return (Map<String, Object>) d;
        }
        throw new ClientException("unexpected response: " + body.substring(0, Math.min(200, body.length())));
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final class ClientException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientException(String message) {
            super(message);
        }
    }

    /** {@code command positional... --name value --flag -o value}. */
    static final class Args {
        Optional<String> command = Optional.empty();
        final List<String> positional = new ArrayList<>();
        final Map<String, String> options = new HashMap<>();

        static Args parse(String[] argv) {
            Args a = new Args();
            for (int i = 0; i < argv.length; i++) {
                String s = argv[i];
                if (s.startsWith("-")) {
                    String name = s.replaceFirst("^--?", "");
                    String value = null;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    } else if (takesValue(name) && i + 1 < argv.length) {
                        value = argv[++i];
                    } else if (takesValue(name)) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    a.options.put(name, value == null ? "" : value);
                } else if (a.command.isEmpty()) {
                    a.command = Optional.of(s);
                } else {
                    a.positional.add(s);
                }
            }
            return a;
        }

        private static boolean takesValue(String name) {
            return List.of("config", "c", "server", "s", "page", "page-size", "service", "o", "output", "i", "t",
                    "id", "since", "until").contains(name);
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }

        Optional<String> value(String name) {
            String v = options.get(name);
            if (v == null && name.equals("config")) {
                v = options.get("c");
            }
            if (v == null && name.equals("server")) {
                v = options.get("s");
            }
            return Optional.ofNullable(v).filter(x -> !x.isEmpty());
        }

        int intValue(String name, int dflt) {
            Optional<String> v = value(name);
            if (v.isEmpty()) {
                return dflt;
            }
            try {
                return Integer.parseInt(v.get());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be an integer, got '" + v.get() + "'");
            }
        }

        String positional(int index, String what) {
            if (index < positional.size()) {
                return positional.get(index);
            }
            // Reference-style flags: trace -i ID, export -t ID.
            for (String alias : List.of("i", "t", "id")) {
                if (options.containsKey(alias) && !options.get(alias).isEmpty()) {
                    return options.get(alias);
                }
            }
            throw new UsageException("missing " + what);
        }
    }
}

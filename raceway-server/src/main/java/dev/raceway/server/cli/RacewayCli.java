package dev.raceway.server.cli;

import dev.raceway.server.RacewayServer;
import dev.raceway.server.config.ConfigException;
import dev.raceway.server.config.ConfigLoader;
import dev.raceway.server.config.ServerConfiguration;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * {@code raceway serve} starts the server; {@code traces}, {@code trace ID}, {@code races}, {@code export ID -o FILE}
 * and {@code import FILE} talk to a running server over HTTP, sending {@code Authorization: Bearer $RACEWAY_API_KEY}
 * when that variable is set. The options of each command are declared in {@link CliCommand}; anything else on the
 * command line is refused with the command's usage line. The server URL is {@code --server URL}, else {@code RACEWAY_SERVER},
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

    static final String USAGE = CliCommand.usage();

    /** Runs a command; returns the process exit code. {@code serve} returns only after shutdown. */
    int run(String[] argv) {
        if (argv.length == 0) {
            err.print(USAGE);
            return 2;
        }
        if (CliArgs.isHelp(argv)) {
            out.print(USAGE);
            return 0;
        }
        try {
            CliArgs args = CliArgs.parse(argv);
            if (args.flag("help")) {
                out.println(args.command.usageLine());
                out.println("  " + args.command.description);
                return 0;
            }
            return switch (args.command) {
                case SERVE -> serve(args);
                case TRACES -> traces(args);
                case TRACE -> trace(args);
                case RACES -> races(args);
                case EXPORT -> export(args);
                case IMPORT -> importFile(args);
                case VERSION -> {
                    out.println("raceway " + RacewayServer.version());
                    yield 0;
                }
            };
        } catch (ConfigException e) {
            err.println("raceway: configuration error: " + e.getMessage());
            return 1;
        } catch (CliArgs.UsageException e) {
            err.println("raceway: " + e.getMessage());
            err.print(e.command == null ? "\n" + USAGE : e.command.usageLine() + "\n");
            return 2;
        } catch (ClientException e) {
            err.println("raceway: " + e.getMessage());
            return 1;
        }
    }

    private ConfigLoader.Loaded config(CliArgs args) {
        return new ConfigLoader(env).locateAndLoad(args.value("config").map(Path::of));
    }

    /** {@code -v}, {@code --port} and {@code --host} win over the configuration file. */
    static ServerConfiguration overridden(ServerConfiguration config, boolean verbose, Optional<Integer> port,
                                          Optional<String> host) {
        try {
            return config.toBuilder().server(s -> {
                if (verbose) {
                    s.verbose(true);
                }
                port.ifPresent(s::port);
                host.ifPresent(s::host);
            }).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("command line: " + e.getMessage(), e);
        }
    }

    private int serve(CliArgs args) {
        Optional<Integer> port = args.intValue("port", 0, 65535);
        Optional<String> host = args.value("host");
        ConfigLoader.Loaded loaded = config(args);
        ServerConfiguration config = overridden(loaded.config(), args.flag("verbose"), port, host);
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

    private int traces(CliArgs args) {
        int page = args.intValue("page", 1, Integer.MAX_VALUE).orElse(1);
        int size = args.intValue("page-size", 1, 1000).orElse(20);
        StringBuilder path = new StringBuilder("/api/traces?page=" + page + "&page_size=" + size);
        args.value("service").ifPresent(v -> param(path, "service", v));
        args.value("operation").ifPresent(v -> param(path, "operation", v));
        args.nonNegativeLong("min-duration-ms").ifPresent(v -> param(path, "min_duration_ms", v.toString()));
        args.nonNegativeLong("max-duration-ms").ifPresent(v -> param(path, "max_duration_ms", v.toString()));
        args.instant("since").ifPresent(v -> param(path, "since", v.toString()));
        args.instant("until").ifPresent(v -> param(path, "until", v.toString()));
        if (args.flag("has-races")) {
            param(path, "has_races", "true");
        }
        args.value("id-prefix").ifPresent(v -> param(path, "id_prefix", v));
        String body = get(args, path.toString());
        if (args.flag("json")) {
            out.println(body);
            return 0;
        }
        Map<String, Object> data = data(body);
        String row = "%-36s  %7s  %10s  %-24s  %-30s  %s%n";
        out.printf(row, "TRACE", "EVENTS", "DURATION", "STARTED", "OPERATION", "SERVICES");
        for (Object o : (List<?>) data.get("traces")) {
            Map<?, ?> t = (Map<?, ?>) o;
            out.printf(row, t.get("trace_id"), t.get("event_count"), duration(t.get("duration_ms")),
                    t.get(t.containsKey("start_timestamp") ? "start_timestamp" : "first_timestamp"),
                    Objects.toString(t.get("operation"), ""),
                    String.join(",", ((List<?>) t.get("services")).stream().map(String::valueOf).toList()));
        }
        out.printf("page %s of %s (%s traces)%n", data.get("page"), data.get("total_pages"),
                data.get("total_traces"));
        return 0;
    }

    private static void param(StringBuilder path, String name, String value) {
        path.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    static String shortId(Object id) {
        String s = String.valueOf(id);
        return s.length() > 8 ? s.substring(0, 8) : s;
    }

    private static String duration(Object ms) {
        return ms instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f ms", n.doubleValue()) : "";
    }

    /** A full trace id, or the one trace whose id starts with {@code idOrPrefix}. */
    private String resolveTraceId(CliArgs args, String idOrPrefix) {
        String id = idOrPrefix.trim().toLowerCase(java.util.Locale.ROOT);
        if (FULL_ID.matcher(id).matches()) {
            return id;
        }
        if (!PREFIX.matcher(id).matches()) {
            throw new ClientException("'" + idOrPrefix + "' is neither a trace id nor the start of one");
        }
        Map<String, Object> data = data(get(args, "/api/traces?page_size=2&id_prefix="
                + URLEncoder.encode(id, StandardCharsets.UTF_8)));
        List<?> found = (List<?>) data.get("traces");
        if (found.isEmpty()) {
            throw new ClientException("no trace id starts with " + id);
        }
        if (found.size() > 1) {
            throw new ClientException(data.get("total_traces") + " trace ids start with " + id
                    + "; give more of the id");
        }
        return String.valueOf(((Map<?, ?>) found.get(0)).get("trace_id"));
    }

    private static final java.util.regex.Pattern FULL_ID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("[0-9a-f-]{1,36}");

    private int trace(CliArgs args) {
        String id = resolveTraceId(args, args.positional("trace ID"));
        String body = get(args, "/api/traces/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (args.flag("json")) {
            out.println(body);
            return 0;
        }
        Map<String, Object> data = data(body);
        new TraceReport(data, out).print(id);
        return 0;
    }

    private int races(CliArgs args) {
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
        TraceReport.printDistinct(data, out);
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
            // From the structured fields, not the reference's description text (which writes values in Rust Debug
            // notation).
            for (Object o : details) {
                Map<?, ?> r = (Map<?, ?>) o;
                out.println("[" + r.get("severity") + "] " + r.get("variable") + ": trace "
                        + shortId(r.get("trace1_id")) + " [" + r.get("event1_thread") + "] @ " + r.get("event1_location")
                        + "  vs  trace " + shortId(r.get("trace2_id")) + " [" + r.get("event2_thread") + "] @ "
                        + r.get("event2_location"));
            }
        }
        return 0;
    }

    private int export(CliArgs args) {
        String given = args.positional("trace ID");
        Path file = Path.of(args.value("output")
                .orElseThrow(() -> new CliArgs.UsageException("export needs -o FILE", args.command)));
        String id = resolveTraceId(args, given);
        String body = get(args, "/api/traces/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        try {
            Files.writeString(file, body);
        } catch (java.io.IOException e) {
            throw new ClientException("cannot write " + file + ": " + e.getMessage());
        }
        out.println("Exported trace " + id + " to " + file);
        return 0;
    }

    private int importFile(CliArgs args) {
        Path file = Path.of(args.positional("FILE"));
        List<byte[]> bodies;
        try {
            bodies = TraceImport.bodies(Files.readAllBytes(file), IMPORT_BATCH);
        } catch (java.io.IOException e) {
            throw new ClientException("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ClientException(file + ": " + e.getMessage());
        }
        long accepted = 0;
        long rejected = 0;
        for (byte[] body : bodies) {
            // {"success":true,"data":"Ingested N events","accepted":N,"rejected":[{index,id,path,reason}…]}
            Object answer = MiniJson.parse(send(args, "/events", HttpRequest.BodyPublishers.ofByteArray(body)));
            Map<?, ?> top = answer instanceof Map<?, ?> m ? m : Map.of();
            accepted += top.get("accepted") instanceof Number n ? n.longValue() : 0;
            if (top.get("rejected") instanceof List<?> r && !r.isEmpty()) {
                rejected += r.size();
                r.forEach(x -> err.println("raceway: rejected " + x));
            }
        }
        out.println("Imported " + accepted + " events from " + file
                + (rejected > 0 ? " (" + rejected + " rejected)" : ""));
        return rejected > 0 ? 1 : 0;
    }

    /** Events per {@code POST /events} of {@code import}: well under the server's per-body limit. */
    static final int IMPORT_BATCH = 1000;

    private String serverUrl(CliArgs args) {
        Optional<String> explicit = args.value("server").or(() -> Optional.ofNullable(env.apply("RACEWAY_SERVER")));
        if (explicit.isPresent()) {
            return explicit.get().replaceAll("/+$", "");
        }
        ServerConfiguration c = config(args).config();
        String host = c.server().host().equals("0.0.0.0") ? "127.0.0.1" : c.server().host();
        return (c.server().tls().isPresent() ? "https" : "http") + "://" + host + ":" + c.server().port();
    }

    private String get(CliArgs args, String path) {
        return send(args, path, null);
    }

    /** GET (no body) or POST a JSON body; answers the body of a 200, else a {@link ClientException} saying why. */
    private String send(CliArgs args, String path, HttpRequest.BodyPublisher post) {
        String url = serverUrl(args) + path;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ClientException("bad server URL " + url + ": " + e.getMessage());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (post == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").POST(post);
        }
        String key = env.apply("RACEWAY_API_KEY");
        boolean hasKey = key != null && !key.isBlank();
        if (hasKey) {
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
            String hint = res.statusCode() != 401 ? ""
                    : hasKey ? " (the server refused the key in RACEWAY_API_KEY)" : " (set RACEWAY_API_KEY)";
            throw new ClientException(url + " answered " + res.statusCode() + ": " + reason + hint);
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

    static final class ClientException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientException(String message) {
            super(message);
        }
    }
}

package dev.raceway.server.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The commands of {@code raceway} and, for each, the only options it accepts: the parser refuses everything else, and
 * the usage text is generated from here, so an option is declared once.
 */
enum CliCommand {
    SERVE("serve", "[--config PATH] [--host HOST] [--port N] [-v|--verbose]", 0,
            "start the server (default config: ./raceway.toml, else built-in defaults: memory storage on "
                    + "127.0.0.1:8080); --host and --port override the configuration",
            Option.value("config", "c"), Option.value("host"), Option.value("port"), Option.flag("verbose", "v")),
    TRACES("traces", "[--page N] [--page-size N] [--service NAME] [--operation TEXT] [--min-duration-ms N] "
            + "[--max-duration-ms N] [--since TIME] [--until TIME] [--has-races] [--id-prefix HEX] [--json]", 0,
            "list traces, newest first (TIME is RFC 3339, e.g. 2026-01-31T12:00:00Z)",
            Option.value("page"), Option.value("page-size"), Option.value("service"), Option.value("operation"),
            Option.value("min-duration-ms"), Option.value("max-duration-ms"), Option.value("since"),
            Option.value("until"), Option.flag("has-races"), Option.value("id-prefix"), Option.flag("json")),
    TRACE("trace", "ID [--json]", 1, "one trace with its analysis; ID may be a unique prefix",
            Option.flag("json")),
    RACES("races", "[--since TIME] [--until TIME] [--json]", 0,
            "distinct races first, then pairs (/api/analyze/global; TIME is RFC 3339)", Option.value("since"),
            Option.value("until"), Option.flag("json")),
    EXPORT("export", "ID -o FILE", 1, "write the trace's full JSON to FILE; ID may be a unique prefix",
            Option.value("output", "o")),
    IMPORT("import", "FILE", 1, "send the events of an exported trace (or of a POST /events body) to the server"),
    VERSION("version", "", 0, "print the version");

    final String name;
    final String synopsis;
    final int positionals;
    final String description;
    private final Map<String, Option> options = new LinkedHashMap<>();

    CliCommand(String name, String synopsis, int positionals, String description, Option... own) {
        this.name = name;
        this.synopsis = synopsis;
        this.positionals = positionals;
        this.description = description;
        for (Option o : Shared.COMMON) {
            add(o);
        }
        if (!name.equals("serve") && !name.equals("version")) {
            for (Option o : Shared.CLIENT) {
                add(o);
            }
        }
        for (Option o : own) {
            add(o);
        }
    }

    private void add(Option o) {
        options.put(o.name(), o);
        for (String alias : o.aliases()) {
            options.put(alias, o);
        }
    }

    /** The option this command knows by {@code name} (long name or alias). */
    Optional<Option> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    boolean isClient() {
        return options.containsKey("server");
    }

    String usageLine() {
        return "Usage: raceway " + name + (synopsis.isEmpty() ? "" : " " + synopsis)
                + (isClient() ? " [--server URL]" : "");
    }

    static Optional<CliCommand> named(String name) {
        return Arrays.stream(values()).filter(c -> c.name.equals(name)).findFirst();
    }

    static String usage() {
        StringBuilder b = new StringBuilder("Usage: raceway <command> [options]\n\nCommands:\n");
        for (CliCommand c : values()) {
            b.append("  ").append(c.name).append(c.synopsis.isEmpty() ? "" : " " + c.synopsis).append('\n');
            b.append("      ").append(c.description).append('\n');
        }
        b.append("\nClient commands take --server URL (or RACEWAY_SERVER; default: host and port of the configuration)")
                .append("\nand send the API key of RACEWAY_API_KEY.\n");
        return b.toString();
    }

    /** Options shared by several commands (a holder: an enum's constructor cannot read the enum's own statics). */
    private static final class Shared {
        /** Options every command takes. */
        static final Option[] COMMON = {Option.flag("help", "h")};
        /** Options of the commands that talk to a running server. */
        static final Option[] CLIENT = {Option.value("server", "s"), Option.value("config", "c")};
    }

    /** One option: its long name, its one-letter aliases, and whether it takes a value. */
    record Option(String name, boolean takesValue, String... aliases) {
        static Option flag(String name, String... aliases) {
            return new Option(name, false, aliases);
        }

        static Option value(String name, String... aliases) {
            return new Option(name, true, aliases);
        }
    }
}

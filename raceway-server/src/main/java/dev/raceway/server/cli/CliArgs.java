package dev.raceway.server.cli;

import dev.raceway.server.cli.CliCommand.Option;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: the command, its positional arguments and its options, each checked against
 * {@link CliCommand}. Anything the command does not declare, a value missing or given to a flag, a value of the wrong
 * form and a surplus argument are {@link UsageException}s naming the command whose usage line to show.
 */
final class CliArgs {
    final CliCommand command;
    private final List<String> positional;
    private final Map<String, String> options;

    private CliArgs(CliCommand command, List<String> positional, Map<String, String> options) {
        this.command = command;
        this.positional = positional;
        this.options = options;
    }

    /** Whether the line asks for help (and only that); such a line needs no command. */
    static boolean isHelp(String[] argv) {
        return argv.length == 1 && (argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help"));
    }

    static CliArgs parse(String[] argv) {
        // The command is the first word that is not an option; "--config PATH" may come before it.
        int at = 0;
        List<String> before = new ArrayList<>();
        while (at < argv.length && argv[at].startsWith("-")) {
            before.add(argv[at]);
            if ((argv[at].equals("--config") || argv[at].equals("-c")) && at + 1 < argv.length) {
                before.add(argv[++at]);
            }
            at++;
        }
        if (at == argv.length) {
            throw new UsageException("no command given", null);
        }
        String word = argv[at];
        CliCommand command = CliCommand.named(word)
                .orElseThrow(() -> new UsageException("unknown command '" + word + "'", null));
        List<String> words = new ArrayList<>(before);
        for (int i = at + 1; i < argv.length; i++) {
            words.add(argv[i]);
        }

        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("-") || w.equals("-")) {
                if (positional.size() == command.positionals) {
                    throw new UsageException("unexpected argument '" + w + "'", command);
                }
                positional.add(w);
                continue;
            }
            String name = w.startsWith("--") ? w.substring(2) : w.substring(1);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            // Reference-style "trace -i ID" / "export -t ID": the trace id as an option.
            if (command.positionals == 1 && List.of("i", "t", "id").contains(name) && !command.name.equals("import")) {
                String id = value != null ? value : i + 1 < words.size() ? words.get(++i) : null;
                if (id == null || id.isEmpty() || !positional.isEmpty()) {
                    throw new UsageException(w + " needs one trace ID", command);
                }
                positional.add(id);
                continue;
            }
            String shown = w.startsWith("--") ? "--" + name : "-" + name;
            Option option = command.option(name)
                    .orElseThrow(() -> new UsageException("unknown option " + shown, command));
            if (option.takesValue()) {
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw new UsageException(shown + " needs a value", command);
                    }
                    value = words.get(++i);
                }
                if (value.isEmpty()) {
                    throw new UsageException(shown + " needs a value", command);
                }
            } else if (value != null) {
                throw new UsageException(shown + " takes no value", command);
            }
            if (options.put(option.name(), value == null ? "" : value) != null) {
                throw new UsageException(shown + " given twice", command);
            }
        }
        return new CliArgs(command, positional, options);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(options.get(name));
    }

    String positional(String what) {
        if (positional.isEmpty()) {
            throw new UsageException("missing " + what, command);
        }
        return positional.get(0);
    }

    /** An integer option within [min, max]. */
    Optional<Integer> intValue(String name, int min, int max) {
        return value(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + n,
                            command);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be an integer, got '" + v + "'", command);
            }
        });
    }

    /** A long option of at least 0. */
    Optional<Long> nonNegativeLong(String name) {
        return value(name).map(v -> {
            try {
                long n = Long.parseLong(v);
                if (n < 0) {
                    throw new UsageException("--" + name + " must not be negative, got " + n, command);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be an integer, got '" + v + "'", command);
            }
        });
    }

    /** An RFC 3339 time option. */
    Optional<Instant> instant(String name) {
        return value(name).map(v -> {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new UsageException("--" + name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z, got '"
                        + v + "'", command);
            }
        });
    }

    /** A bad command line; {@code command} is the one whose usage line to print, or null for the whole usage. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CliCommand command;

        UsageException(String message, CliCommand command) {
            super(message);
            this.command = command;
        }
    }
}

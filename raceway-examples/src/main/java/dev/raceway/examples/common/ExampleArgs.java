package dev.raceway.examples.common;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Command-line options of the example programs: {@code --name=value}, falling back to the environment variable
 * {@code NAME} (upper case, dashes as underscores), then to a default. Unknown options are rejected so a typo is
 * not silently ignored. A bad option is a {@link BadOption}; {@link #main} turns it into one message and the usage
 * line (exit status 2) instead of a stack trace.
 */
public final class ExampleArgs {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> env;

    private ExampleArgs(Map<String, String> env) {
        this.env = env;
    }

    /** An example's body, given its parsed options. */
    @FunctionalInterface
    public interface Program {
        void run(ExampleArgs args) throws Exception;
    }

    /**
     * Runs {@code program} with the options of {@code args}; a bad option (unknown, malformed, out of range) prints
     * {@code example: message} and {@code usage: raceway-examples/run example [--known=…]…} and exits with 2.
     */
    public static void main(String example, String[] args, Program program, String... known) throws Exception {
        try {
            program.run(parse(args, known));
        } catch (BadOption e) {
            System.err.println(example + ": " + e.getMessage());
            System.err.println(usage(example, known));
            System.exit(2);
        }
    }

    static String usage(String example, String... known) {
        StringBuilder b = new StringBuilder("usage: raceway-examples/run ").append(example);
        for (String k : known) {
            b.append(" [--").append(k).append("=…]");
        }
        return b.toString();
    }

    /** A command-line option (or its environment variable) the example cannot use. */
    public static final class BadOption extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BadOption(String message) {
            super(message);
        }
    }

    /** Parses {@code args}; every option must be one of {@code known}. */
    public static ExampleArgs parse(String[] args, String... known) {
        return parse(args, System.getenv(), known);
    }

    static ExampleArgs parse(String[] args, Map<String, String> env, String... known) {
        ExampleArgs parsed = new ExampleArgs(env);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new BadOption("expected --name=value, got '" + arg + "'");
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!List.of(known).contains(name)) {
                throw new BadOption("unknown option --" + name + " (known: --"
                        + String.join(", --", known) + ")");
            }
            parsed.values.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        return parsed;
    }

    public String string(String name, String fallback) {
        String v = values.get(name);
        if (v == null) {
            v = env.get(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public int integer(String name, int fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadOption("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /** A TCP port, 0 (any free port) to 65535. */
    public int port(String name, int fallback) {
        int p = integer(name, fallback);
        if (p < 0 || p > 65535) {
            throw new BadOption("--" + name + " must be a port between 0 and 65535, got " + p);
        }
        return p;
    }

    /** An absolute http(s) URL, without a trailing slash. */
    public String url(String name, String fallback) {
        String v = string(name, fallback);
        try {
            URI u = new URI(v);
            if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) {
                throw new BadOption("--" + name + " must be an http:// or https:// URL, got '" + v + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new BadOption("--" + name + " must be an http:// or https:// URL, got '" + v + "'");
        }
        return v.replaceAll("/+$", "");
    }

    /** A value read by {@code parser}, whose {@link IllegalArgumentException} becomes a {@link BadOption}. */
    public <T> T parsed(String name, String fallback, Function<String, T> parser) {
        String v = string(name, fallback);
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new BadOption("--" + name + ": " + e.getMessage());
        }
    }
}

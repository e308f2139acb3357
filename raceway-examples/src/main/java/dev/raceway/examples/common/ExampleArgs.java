package dev.raceway.examples.common;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of the example programs: {@code --name=value}, falling back to the environment variable
 * {@code NAME} (upper case, dashes as underscores), then to a default. Unknown options are rejected so a typo is
 * not silently ignored.
 */
public final class ExampleArgs {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> env;

    private ExampleArgs(Map<String, String> env) {
        this.env = env;
    }

    /** Parses {@code args}; every option must be one of {@code known}. */
    public static ExampleArgs parse(String[] args, String... known) {
        return parse(args, System.getenv(), known);
    }

    static ExampleArgs parse(String[] args, Map<String, String> env, String... known) {
        ExampleArgs parsed = new ExampleArgs(env);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!List.of(known).contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: --"
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
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }
}

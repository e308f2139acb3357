package dev.raceway.agent;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent's settings, each from the system property {@code raceway.<name>} or else the environment variable
 * {@code RACEWAY_<NAME>} (e.g. {@code -Draceway.service_name=bank} or {@code RACEWAY_SERVICE_NAME=bank}).
 *
 * @param endpoint      the Raceway server's base URL (required)
 * @param serviceName   {@code metadata.service_name} of every event
 * @param packages      package prefixes whose classes' fields are tracked (their monitors too); none = no field
 *                      tracking, only requests, threads, executors and locks
 * @param apiKey        sent to the server when it requires one
 * @param sample        fraction of shared field accesses sent, 0 &lt; sample ≤ 1 (synchronisation is never sampled)
 * @param arrays        also track array element reads and writes in those packages
 * @param siteLimit     field events one access site may send per second (the rest are dropped and counted)
 * @param queueCapacity events buffered for sending; beyond it new events are dropped and counted
 * @param debug         print every class that could not be instrumented, and the counters at exit
 */
public record AgentSettings(String endpoint, String serviceName, List<String> packages, Optional<String> apiKey,
                            double sample, boolean arrays, int siteLimit, int queueCapacity, boolean debug) {
    public static final String ENDPOINT = "endpoint";
    public static final String SERVICE_NAME = "service_name";
    public static final String PACKAGES = "packages";
    public static final String API_KEY = "api_key";
    public static final String SAMPLE = "sample";
    public static final String ARRAYS = "arrays";
    public static final String SITE_LIMIT = "site_limit";
    public static final String QUEUE_CAPACITY = "queue_capacity";
    public static final String DEBUG = "debug";

    public AgentSettings {
        packages = List.copyOf(packages);
    }

    /** A setting that cannot be used; the message says which and why. */
    public static final class InvalidSetting extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSetting(String message) {
            super(message);
        }
    }

    public static AgentSettings fromSystem() throws InvalidSetting {
        return load(System::getProperty, System::getenv);
    }

    /** Reads every setting through {@code property} ({@code raceway.x}) and then {@code env} ({@code RACEWAY_X}). */
    public static AgentSettings load(Function<String, String> property, Function<String, String> env)
            throws InvalidSetting {
        Source s = new Source(property, env);
        String endpoint = s.get(ENDPOINT).orElseThrow(() -> new InvalidSetting(
                "no server: set -Draceway.endpoint=http://host:port (or RACEWAY_ENDPOINT)"));
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new InvalidSetting(s.name(ENDPOINT) + " is not a URL: " + endpoint);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidSetting(s.name(ENDPOINT) + " must be an http(s) URL with a host, got " + endpoint);
        }
        String service = s.get(SERVICE_NAME).orElse("java-app");
        List<String> packages = new ArrayList<>();
        for (String p : s.get(PACKAGES).orElse("").split(",")) {
            String name = p.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                throw new InvalidSetting(s.name(PACKAGES) + " must be package names separated by commas, got '"
                        + name + "'");
            }
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                    || name.startsWith("sun.") || name.startsWith("dev.raceway.agent")) {
                throw new InvalidSetting(s.name(PACKAGES) + " cannot include " + name
                        + " (JDK and agent code is modelled, not instrumented)");
            }
            packages.add(name);
        }
        double sample = s.number(SAMPLE, 1.0);
        if (!(sample > 0 && sample <= 1)) {
            throw new InvalidSetting(s.name(SAMPLE) + " must be in (0, 1], got " + sample);
        }
        int siteLimit = (int) s.number(SITE_LIMIT, 1000);
        if (siteLimit <= 0) {
            throw new InvalidSetting(s.name(SITE_LIMIT) + " must be positive, got " + siteLimit);
        }
        int queue = (int) s.number(QUEUE_CAPACITY, 100_000);
        if (queue < 1000) {
            throw new InvalidSetting(s.name(QUEUE_CAPACITY) + " must be at least 1000, got " + queue);
        }
        return new AgentSettings(endpoint, service, packages, s.get(API_KEY), sample, s.flag(ARRAYS, false),
                siteLimit, queue, s.flag(DEBUG, false));
    }

    /** True when {@code className} (binary name, dots) is in one of the configured packages. */
    public boolean tracks(String className) {
        for (String p : packages) {
            if (className.startsWith(p) && (className.length() == p.length() || className.charAt(p.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    private record Source(Function<String, String> property, Function<String, String> env) {
        String name(String key) {
            return "raceway." + key;
        }

        Optional<String> get(String key) {
            String v = property.apply(name(key));
            if (v == null || v.isBlank()) {
                v = env.apply("RACEWAY_" + key.toUpperCase(Locale.ROOT));
            }
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        double number(String key, double fallback) throws InvalidSetting {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                return Double.parseDouble(v.get());
            } catch (NumberFormatException e) {
                throw new InvalidSetting(name(key) + " must be a number, got '" + v.get() + "'");
            }
        }

        boolean flag(String key, boolean fallback) throws InvalidSetting {
            Optional<String> v = get(key);
            if (v.isEmpty()) {
                return fallback;
            }
            return switch (v.get().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "1" -> true;
                case "false", "off", "no", "0" -> false;
                default -> throw new InvalidSetting(name(key) + " must be true or false, got '" + v.get() + "'");
            };
        }
    }
}

package dev.raceway.storage.postgres;

import dev.raceway.storage.PostgresStoreConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The JDBC form of a {@code postgresql://user:pass@host:port/db?param=value} connection string: the URL without
 * credentials, plus user and password (percent-decoded), so that the password never appears in a URL that might be
 * logged.
 */
record JdbcTarget(String jdbcUrl, Optional<String> user, Optional<String> password) {

    JdbcTarget {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Converts the configured connection string.
     *
     * @throws IllegalArgumentException with the reason when it is not a PostgreSQL URL
     */
    static JdbcTarget from(PostgresStoreConfig config) {
        String s = config.connectionString().trim();
        Map<String, String> params = new LinkedHashMap<>();
        if (s.startsWith("jdbc:postgresql:")) {
            return new JdbcTarget(withSupabaseDefaults(s, config.supabase()), Optional.empty(), Optional.empty());
        }
        String rest;
        if (s.startsWith("postgresql://")) {
            rest = s.substring("postgresql://".length());
        } else if (s.startsWith("postgres://")) {
            rest = s.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("storage.postgres.connection_string must start with postgresql:// "
                    + "or postgres:// (e.g. postgresql://user:pass@localhost:5432/raceway), got '"
                    + redact(s) + "'");
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        // The password may contain '@' or '/': the host part starts after the LAST '@' before the path.
        int slash = rest.indexOf('/', rest.lastIndexOf('@') + 1);
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 ? rest.substring(slash + 1) : "";
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = authority.lastIndexOf('@');
        String hosts = authority;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            hosts = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                user = Optional.of(decode(userInfo.substring(0, colon)));
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            } else {
                user = Optional.of(decode(userInfo));
            }
            user = user.filter(u -> !u.isEmpty());
        }
        if (hosts.isEmpty()) {
            hosts = "localhost";
        }
        for (String hostPort : hosts.split(",")) {
            validateHostPort(hostPort, s);
        }
        if (database.contains("/")) {
            throw new IllegalArgumentException("storage.postgres.connection_string has an invalid database name '"
                    + database + "'");
        }
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq >= 0 ? pair.substring(0, eq) : pair);
                String v = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
                if (k.equals("user") && user.isEmpty()) {
                    user = Optional.of(v);
                } else if (k.equals("password") && password.isEmpty()) {
                    password = Optional.of(v);
                } else {
                    // pgjdbc percent-decodes parameters itself: pass them through as written.
                    params.put(eq >= 0 ? pair.substring(0, eq) : pair, eq >= 0 ? pair.substring(eq + 1) : "");
                }
            }
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hosts).append('/')
                .append(database);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(p.getKey()).append('=').append(p.getValue());
            sep = '&';
        }
        return new JdbcTarget(withSupabaseDefaults(url.toString(), config.supabase()), user, password);
    }

    private static String withSupabaseDefaults(String url, boolean supabase) {
        if (!supabase) {
            return url;
        }
        StringBuilder out = new StringBuilder(url);
        char sep = url.contains("?") ? '&' : '?';
        if (!url.contains("sslmode=")) {
            out.append(sep).append("sslmode=require");
            sep = '&';
        }
        if (!url.contains("prepareThreshold=")) {
            // PgBouncer in transaction mode (Supabase's pooler) cannot keep server-side prepared statements.
            out.append(sep).append("prepareThreshold=0");
        }
        return out.toString();
    }

    private static void validateHostPort(String hostPort, String original) {
        String port = null;
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("storage.postgres.connection_string has an unterminated IPv6 "
                        + "address in '" + redact(original) + "'");
            }
            if (end + 1 < hostPort.length()) {
                if (hostPort.charAt(end + 1) != ':') {
                    throw new IllegalArgumentException("storage.postgres.connection_string has an invalid host '"
                            + hostPort + "'");
                }
                port = hostPort.substring(end + 2);
            }
        } else {
            int colon = hostPort.indexOf(':');
            if (colon == 0) {
                throw new IllegalArgumentException("storage.postgres.connection_string has an empty host");
            }
            if (colon > 0) {
                port = hostPort.substring(colon + 1);
            }
        }
        if (port != null) {
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("storage.postgres.connection_string has an invalid port '" + port
                        + "'");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("storage.postgres.connection_string port must be 1-65535, got "
                        + p);
            }
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storage.postgres.connection_string has invalid percent-encoding in '"
                    + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'");
        }
    }

    static String redact(String connectionString) {
        return connectionString.replaceAll("://([^:/@]*):[^@]*@", "://$1:***@");
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + jdbcUrl + ", user=" + user.orElse("") + "]";
    }
}

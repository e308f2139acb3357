package dev.raceway.storage;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.storage.internal.EventOrder;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The operation of a trace, as a trace list shows it: taken from its root, the earliest (timestamp, then id) event
 * without a parent. An {@code HttpRequest} root gives {@code "METHOD /path"} (no scheme, host or query), a
 * {@code FunctionCall} its function name, anything else its kind's name. Both backends derive it here, so they agree,
 * and the choice of root does not depend on the order in which events arrive.
 */
public final class TraceOperation {
    /** The longest operation kept; longer ones are cut (a list column, not a record of the request). */
    public static final int MAX_LENGTH = 200;

    private TraceOperation() {
    }

    /** The operation {@code e} names if it is a root candidate (no parent), else empty. */
    public static Optional<String> ofRootCandidate(Event e) {
        if (e.parentId().isPresent()) {
            return Optional.empty();
        }
        String op;
        if (e.kind() instanceof EventKind.HttpRequest r) {
            op = r.method() + " " + path(r.url());
        } else if (e.kind() instanceof EventKind.FunctionCall f) {
            op = f.functionName();
        } else if (e.kind() instanceof EventKind.Custom c) {
            op = c.name();
        } else {
            op = e.kind().getClass().getSimpleName();
        }
        return Optional.of(op.length() > MAX_LENGTH ? op.substring(0, MAX_LENGTH) : op);
    }

    /** Whether a root candidate at ({@code ts}, {@code id}) comes before the one at ({@code otherTs}, {@code otherId}). */
    public static boolean precedes(Instant ts, UUID id, Instant otherTs, UUID otherId) {
        int c = ts.compareTo(otherTs);
        return c < 0 || (c == 0 && EventOrder.UUID_ORDER.compare(id, otherId) < 0);
    }

    /** {@code https://host:8080/api/x?y=1} → {@code /api/x}; a bare path stays as it is, minus its query. */
    static String path(String url) {
        String s = url;
        try {
            URI u = URI.create(url);
            if (u.getRawPath() != null && (u.getScheme() != null || url.startsWith("/"))) {
                s = u.getRawPath().isEmpty() ? "/" : u.getRawPath();
                return s;
            }
        } catch (IllegalArgumentException notAUri) {
            // fall through: cut at the query by hand
        }
        int q = s.indexOf('?');
        return q >= 0 ? s.substring(0, q) : s;
    }
}

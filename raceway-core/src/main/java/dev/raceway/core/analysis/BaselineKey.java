package dev.raceway.core.analysis;

import dev.raceway.core.event.EventKind;

/**
 * The anomaly-baseline key of an event kind, as the reference names them: {@code FunctionCall(<fn>)},
 * {@code StateChange(<var>)}, {@code HttpRequest(<method>)}, {@code HttpResponse(<status>)}, ...
 */
public final class BaselineKey {
    private BaselineKey() {
    }

    public static String of(EventKind kind) {
        Object d = discriminatorOrNull(kind);
        return d == null ? kind.variant() : kind.variant() + "(" + d + ")";
    }

    /**
     * What distinguishes keys of the same variant ({@code fn}, {@code var}, {@code method}, {@code status}, …;
     * the empty string for variants with one key): with {@link EventKind#variant()} it determines
     * {@link #of(EventKind)}, so a caller can cache keys without building the string per event.
     */
    public static Object discriminator(EventKind kind) {
        Object d = discriminatorOrNull(kind);
        return d == null ? "" : d;
    }

    private static Object discriminatorOrNull(EventKind kind) {
        if (kind instanceof EventKind.FunctionCall k) {
            return k.functionName();
        } else if (kind instanceof EventKind.StateChange k) {
            return k.variable();
        } else if (kind instanceof EventKind.LockAcquire k) {
            return k.lockType();
        } else if (kind instanceof EventKind.LockRelease k) {
            return k.lockType();
        } else if (kind instanceof EventKind.HttpRequest k) {
            return k.method();
        } else if (kind instanceof EventKind.HttpResponse k) {
            return k.status();
        } else if (kind instanceof EventKind.Error k) {
            return k.errorType();
        } else if (kind instanceof EventKind.Custom k) {
            return k.name();
        }
        return null;
    }
}

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
        if (kind instanceof EventKind.FunctionCall k) {
            return "FunctionCall(" + k.functionName() + ")";
        } else if (kind instanceof EventKind.StateChange k) {
            return "StateChange(" + k.variable() + ")";
        } else if (kind instanceof EventKind.LockAcquire k) {
            return "LockAcquire(" + k.lockType() + ")";
        } else if (kind instanceof EventKind.LockRelease k) {
            return "LockRelease(" + k.lockType() + ")";
        } else if (kind instanceof EventKind.HttpRequest k) {
            return "HttpRequest(" + k.method() + ")";
        } else if (kind instanceof EventKind.HttpResponse k) {
            return "HttpResponse(" + k.status() + ")";
        } else if (kind instanceof EventKind.Error k) {
            return "Error(" + k.errorType() + ")";
        } else if (kind instanceof EventKind.Custom k) {
            return "Custom(" + k.name() + ")";
        }
        return kind.variant();
    }

    /**
     * What distinguishes keys of the same variant ({@code fn}, {@code var}, {@code method}, {@code status}, …;
     * the empty string for variants with one key): with {@link EventKind#variant()} it determines
     * {@link #of(EventKind)}, so a caller can cache keys without building the string per event.
     */
    public static Object discriminator(EventKind kind) {
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
        return "";
    }
}

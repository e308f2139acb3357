package dev.raceway.core.analysis;

import dev.raceway.core.event.EventKind;

/** The short kind labels and locations the reference prints in critical paths and anomalies. */
public final class EventLabels {
    private EventLabels() {
    }

    /** Critical-path label: {@code FunctionCall(fn)}, {@code StateChange(var)}, {@code HttpRequest(GET /x)}, ... */
    public static String pathKind(EventKind kind) {
        if (kind instanceof EventKind.FunctionCall k) {
            return "FunctionCall(" + k.functionName() + ")";
        } else if (kind instanceof EventKind.AsyncSpawn) {
            return "AsyncSpawn";
        } else if (kind instanceof EventKind.StateChange k) {
            return "StateChange(" + k.variable() + ")";
        } else if (kind instanceof EventKind.HttpRequest k) {
            return "HttpRequest(" + k.method() + " " + k.url() + ")";
        } else if (kind instanceof EventKind.DatabaseQuery) {
            return "DatabaseQuery";
        }
        return "Other";
    }

    /** Critical-path location: {@code file:line}, the StateChange location, the URL, else {@code unknown}. */
    public static String pathLocation(EventKind kind) {
        if (kind instanceof EventKind.FunctionCall k) {
            return k.file() + ":" + k.line();
        } else if (kind instanceof EventKind.StateChange k) {
            return k.location();
        } else if (kind instanceof EventKind.HttpRequest k) {
            return k.url();
        }
        return "unknown";
    }

    /** Anomaly location: {@code file:line (fn)}, the kind's location, URL or database, else {@code unknown}. */
    public static String anomalyLocation(EventKind kind) {
        if (kind instanceof EventKind.FunctionCall k) {
            return k.file() + ":" + k.line() + " (" + k.functionName() + ")";
        } else if (kind instanceof EventKind.StateChange k) {
            return k.location();
        } else if (kind instanceof EventKind.LockAcquire k) {
            return k.location();
        } else if (kind instanceof EventKind.LockRelease k) {
            return k.location();
        } else if (kind instanceof EventKind.MemoryFence k) {
            return k.location();
        } else if (kind instanceof EventKind.HttpRequest k) {
            return k.url();
        } else if (kind instanceof EventKind.DatabaseQuery k) {
            return k.database();
        }
        return "unknown";
    }
}

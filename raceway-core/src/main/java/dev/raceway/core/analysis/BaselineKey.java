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
}

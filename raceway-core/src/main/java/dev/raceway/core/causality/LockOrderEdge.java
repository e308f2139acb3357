package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import java.util.Objects;

/** A thread acquired {@code acquiredLock} (event {@code acquire}) while holding {@code heldLock}. */
public record LockOrderEdge(String heldLock, String acquiredLock, Event acquire) {
    public LockOrderEdge {
        Objects.requireNonNull(heldLock, "heldLock");
        Objects.requireNonNull(acquiredLock, "acquiredLock");
        Objects.requireNonNull(acquire, "acquire");
    }

    public String location() {
        return acquire.kind() instanceof EventKind.LockAcquire a ? a.location() : "unknown";
    }
}

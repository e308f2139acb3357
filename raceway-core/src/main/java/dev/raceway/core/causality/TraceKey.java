package dev.raceway.core.causality;

import java.util.UUID;

/** A name — a lock id, a clock component — within one trace: the same name in two traces is two things. */
record TraceKey(UUID trace, String name) {
}

package dev.raceway.sdk.internal;

import java.util.concurrent.atomic.LongAdder;

/** The client's event accounting. {@link LongAdder}s keep the hot path free of contended writes. */
public final class Counters {
    public final LongAdder queued = new LongAdder();
    public final LongAdder sent = new LongAdder();
    public final LongAdder dropped = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder retried = new LongAdder();
    public final LongAdder invalid = new LongAdder();
    public final LongAdder outsideContext = new LongAdder();
}

package dev.raceway.sdk.internal;

import dev.raceway.sdk.RacewayStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's event accounting: one {@link LongAdder} per outcome (the hot path never contends on a shared
 * counter), written only through these methods and read as an immutable {@link RacewayStats} snapshot.
 *
 * <p>This class is internal and is hence not for public use.
 */
public final class Counters {
    private final LongAdder queued = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder outsideContext = new LongAdder();

    public void queued() {
        queued.increment();
    }

    public void sent(long n) {
        sent.add(n);
    }

    public void dropped(long n) {
        dropped.add(n);
    }

    public void rejected(long n) {
        rejected.add(n);
    }

    public void failed(long n) {
        failed.add(n);
    }

    public void retried() {
        retried.increment();
    }

    public void invalid() {
        invalid.increment();
    }

    public void outsideContext() {
        outsideContext.increment();
    }

    /** The counts now (each read on its own: a snapshot taken while events flow may be off by in-flight ones). */
    public RacewayStats snapshot() {
        return new RacewayStats(queued.sum(), sent.sum(), dropped.sum(), rejected.sum(), failed.sum(),
                retried.sum(), invalid.sum(), outsideContext.sum());
    }
}

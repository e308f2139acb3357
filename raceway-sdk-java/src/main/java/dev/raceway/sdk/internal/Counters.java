package dev.raceway.sdk.internal;

import dev.raceway.sdk.RacewayStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client's event accounting: one {@link LongAdder} per outcome (the hot path never contends on a shared
 * counter), written only through these methods and read as an immutable {@link RacewayStats} snapshot. Queued
 * events are counted by the flusher, a batch at a time, plus those still waiting: an accepted event costs the
 * application thread no counter update.
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

    /** {@code n} events left the queue for a batch (or were found there at close). */
    public void queued(long n) {
        queued.add(n);
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

    /**
     * The counts now, with {@code waiting} events still in the queue counted as queued (each read on its own: a
     * snapshot taken while events flow may be off by the ones in flight).
     */
    public RacewayStats snapshot(long waiting) {
        return new RacewayStats(queued.sum() + waiting, sent.sum(), dropped.sum(), rejected.sum(), failed.sum(),
                retried.sum(), invalid.sum(), outsideContext.sum());
    }
}

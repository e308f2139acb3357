package dev.raceway.storage;

import dev.raceway.core.event.Event;
import java.util.List;

/**
 * Stores batches of events. Implementations are safe for concurrent use.
 *
 * <p>Writes are <b>idempotent by event id</b>: an event whose id is already stored (or that appears twice in one
 * batch) is kept once, as first written, and does not count again in any read model (trace summaries, baselines,
 * variable accesses). Events of a trace may arrive in any order and spread over many batches; nothing here depends on
 * parents arriving before children.
 *
 * <p>Besides the events themselves a write maintains these read models, atomically with the events:
 * <ul>
 *   <li>trace summaries ({@link TraceReader#traceSummaries});</li>
 *   <li>distributed spans from {@code metadata.distributedSpanId} (first/last event = min/max of event timestamps
 *       whatever the arrival order) and one distributed edge per {@code upstreamSpanId → distributedSpanId} pair,
 *       the first writer naming its link type ({@link DistributedReader});</li>
 *   <li>duration baselines keyed by {@code BaselineKey.of(kind)}, from newly inserted events with a
 *       {@code durationNs} ({@link BaselineReader});</li>
 *   <li>the per-variable access index of {@code StateChange} events ({@link VariableAccessReader}).</li>
 * </ul>
 */
public interface EventWriter {

    /**
     * Stores {@code events} in one atomic unit (one transaction for PostgreSQL): when this returns they are
     * durable for the backend; when it throws, none of them is stored.
     *
     * @throws StorageException when the backend cannot store them (see {@link StorageException#isTransient()})
     */
    WriteResult write(List<Event> events);
}

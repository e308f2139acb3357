package dev.raceway.server;

import dev.raceway.core.analysis.DurationStats;
import dev.raceway.core.event.DistributedEdge;
import dev.raceway.core.event.DistributedSpan;
import dev.raceway.core.event.Event;
import dev.raceway.storage.AccessFootprint;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.RetentionResult;
import dev.raceway.storage.ServiceCall;
import dev.raceway.storage.ServiceSummary;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.StoreHealth;
import dev.raceway.storage.TraceLink;
import dev.raceway.storage.TracePage;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import dev.raceway.storage.VariableAccess;
import dev.raceway.storage.VariableSummary;
import dev.raceway.storage.WriteResult;
import dev.raceway.storage.memory.MemoryEventStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Failure injection: a real memory store whose writes can be made to fail transiently or to block, and whose health
 * can be turned off — outages the memory backend cannot produce on its own.
 */
final class ControllableStore implements EventStore {
    final MemoryEventStore inner = new MemoryEventStore(MemoryStoreConfig.defaults());
    volatile boolean failWrites;
    volatile boolean unhealthy;
    volatile boolean closed;
    /** When set, each write takes a permit first (0 permits = writes block). */
    volatile Semaphore writeGate;
    final CountDownLatch writeEntered = new CountDownLatch(1);
    /** Thrown once by the next write (e.g. an OutOfMemoryError), then cleared. */
    volatile Error errorOnWrite;
    /** Thrown by every trace listing while set. */
    volatile Error errorOnRead;
    /** When set, health checks and trace listings wait for it (a database that does not answer). */
    volatile CountDownLatch hang;

    @Override
    public WriteResult write(List<Event> events) {
        writeEntered.countDown();
        Error e = errorOnWrite;
        if (e != null) {
            errorOnWrite = null;
            throw e;
        }
        if (failWrites) {
            throw new StorageException("injected outage", true);
        }
        Semaphore gate = writeGate;
        if (gate != null) {
            gate.acquireUninterruptibly();
        }
        return inner.write(events);
    }

    @Override
    public StoreHealth health() {
        awaitHang();
        return unhealthy ? new StoreHealth(false, "memory", "injected: database unreachable") : inner.health();
    }

    private void awaitHang() {
        CountDownLatch h = hang;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closed = true; // the inner store stays readable for assertions
    }

    @Override
    public String backendName() {
        return inner.backendName();
    }

    @Override
    public Optional<Event> event(UUID eventId) {
        return inner.event(eventId);
    }

    @Override
    public List<Event> traceEvents(UUID traceId) {
        return inner.traceEvents(traceId);
    }

    @Override
    public TracePage traceSummaries(TraceQuery query) {
        awaitHang();
        Error e = errorOnRead;
        if (e != null) {
            throw e;
        }
        return inner.traceSummaries(query);
    }

    @Override
    public Optional<TraceSummary> traceSummary(UUID traceId) {
        return inner.traceSummary(traceId);
    }

    @Override
    public void forEachTraceWithStateChanges(Consumer<List<Event>> action) {
        inner.forEachTraceWithStateChanges(action);
    }

    @Override
    public void forEachTrace(Collection<UUID> traceIds, Consumer<List<Event>> action) {
        inner.forEachTrace(traceIds, action);
    }

    @Override
    public StoreCounts counts() {
        return inner.counts();
    }

    @Override
    public List<VariableAccess> variableAccesses(String variable) {
        return inner.variableAccesses(variable);
    }

    @Override
    public List<VariableSummary> variableSummaries() {
        return inner.variableSummaries();
    }

    @Override
    public List<AccessFootprint> accessFootprints() {
        return inner.accessFootprints();
    }

    @Override
    public List<TraceLink> traceLinks() {
        return inner.traceLinks();
    }

    @Override
    public Optional<DistributedSpan> span(String spanId) {
        return inner.span(spanId);
    }

    @Override
    public List<DistributedSpan> spans(UUID traceId) {
        return inner.spans(traceId);
    }

    @Override
    public List<DistributedEdge> edges(UUID traceId) {
        return inner.edges(traceId);
    }

    @Override
    public List<DistributedEdge> allEdges() {
        return inner.allEdges();
    }

    @Override
    public List<ServiceCall> serviceCalls() {
        return inner.serviceCalls();
    }

    @Override
    public List<ServiceSummary> services() {
        return inner.services();
    }

    @Override
    public Map<String, DurationStats> baselines() {
        return inner.baselines();
    }

    @Override
    public Optional<DurationStats> baseline(String key) {
        return inner.baseline(key);
    }

    @Override
    public RetentionResult deleteTracesOlderThan(Instant cutoff) {
        return inner.deleteTracesOlderThan(cutoff);
    }

    @Override
    public RetentionResult deleteOldestTracesBeyond(long maxEvents) {
        return inner.deleteOldestTracesBeyond(maxEvents);
    }

    @Override
    public void clear() {
        inner.clear();
    }
}

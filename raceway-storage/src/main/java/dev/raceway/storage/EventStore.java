package dev.raceway.storage;

/**
 * Everything the server and the analyses need from storage. Open one with
 * {@link EventStores#open(StoreConfig)}; feed it through {@link dev.raceway.storage.ingest.IngestPipeline}, which
 * batches, retries and applies back-pressure. All methods are safe for concurrent use. Reads never return
 * {@code null}; failures are {@link StorageException}s.
 */
public interface EventStore extends EventWriter, TraceReader, VariableAccessReader, DistributedReader,
        ServiceReader, BaselineReader, StoreMaintenance, AutoCloseable {

    /** {@code memory} or {@code postgres}. */
    String backendName();

    /** Releases connections; idempotent. */
    @Override
    void close();
}

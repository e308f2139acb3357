package dev.raceway.storage.memory;

import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStoreContract;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.MemoryStoreConfig;
import dev.raceway.storage.StoreCounts;
import dev.raceway.storage.TraceQuery;
import dev.raceway.storage.TraceSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore openEmptyStore() {
        return EventStores.open(MemoryStoreConfig.defaults());
    }

    @Test
    void evictsOldestTracesWhenTheEventCapIsExceeded() {
        try (EventStore small = new MemoryEventStore(new MemoryStoreConfig(4))) {
            small.write(List.of(call(uuid(1), uuid(0xA), 10), call(uuid(2), uuid(0xA), 11)));
            small.write(List.of(call(uuid(3), uuid(0xB), 30)));
            small.write(List.of(call(uuid(4), uuid(0xC), 20)));

            small.write(List.of(call(uuid(5), uuid(0xD), 40)));

            assertThat(small.counts()).isEqualTo(new StoreCounts(3, 3));
            assertThat(small.traceEvents(uuid(0xA))).isEmpty();
            assertThat(small.traceSummaries(TraceQuery.page(1, 10)).traces()).extracting(TraceSummary::traceId)
                    .containsExactly(uuid(0xD), uuid(0xB), uuid(0xC));
        }
    }

    @Test
    void aZeroEventCapIsRejected() {
        assertThatThrownBy(() -> new MemoryStoreConfig(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max_events must be >= 1");
    }

    @Test
    void nullEventsAreRejectedWithoutStoringAnything() {
        try (EventStore s = new MemoryEventStore(MemoryStoreConfig.defaults())) {
            java.util.ArrayList<dev.raceway.core.event.Event> batch = new java.util.ArrayList<>();
            batch.add(call(uuid(1), uuid(0xA), 0));
            batch.add(null);
            assertThatThrownBy(() -> s.write(batch)).isInstanceOf(NullPointerException.class);
            assertThat(s.counts()).isEqualTo(new StoreCounts(0, 0));
        }
    }

    @Test
    void healthTurnsUnhealthyAfterClose() {
        EventStore s = new MemoryEventStore(MemoryStoreConfig.defaults());
        s.close();
        assertThat(s.health().healthy()).isFalse();
    }
}

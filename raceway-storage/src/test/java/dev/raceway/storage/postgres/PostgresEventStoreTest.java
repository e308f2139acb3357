package dev.raceway.storage.postgres;

import dev.raceway.storage.testing.EmbeddedPg;
import static dev.raceway.storage.TestEvents.call;
import static dev.raceway.storage.TestEvents.stateChange;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.storage.EventStore;
import dev.raceway.storage.EventStoreContract;
import dev.raceway.storage.EventStores;
import dev.raceway.storage.PostgresStoreConfig;
import dev.raceway.storage.SchemaMissingException;
import dev.raceway.storage.StorageException;
import dev.raceway.storage.WriteResult;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PostgresEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore openEmptyStore() {
        EventStore s = EventStores.open(EmbeddedPg.config("contract"));
        s.clear();
        return s;
    }

    @Test
    void streamsOnlyTracesWithStateChangesOneAtATimeEachComplete() {
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            UUID trace = uuid(0x10_000 + i % 300);
            all.add(i % 3 == 0 ? stateChange(uuid(i), trace, i, "t", "v" + i % 7, AccessType.Write, "1")
                    : call(uuid(i), trace, i));
        }
        for (int i = 0; i < all.size(); i += 500) {
            store.write(all.subList(i, i + 500));
        }

        Map<UUID, Integer> seen = new HashMap<>();
        store.forEachTraceWithStateChanges(events -> {
            assertThat(events).isEqualTo(store.traceEvents(events.get(0).traceId()));
            assertThat(seen.put(events.get(0).traceId(), events.size())).isNull();
        });

        assertThat(seen).hasSize(100); // only traces i % 300 ≡ 0 (mod 3) have state changes
        assertThat(seen.values()).allMatch(n -> n == 10);
    }

    @Test
    void theSchemaIsMigratedOnceAndReopeningWithoutMigrationWorks() {
        store.write(List.of(call(uuid(1), uuid(0xA), 0)));

        try (EventStore again = EventStores.open(EmbeddedPg.config("contract").withAutoMigrate(false))) {
            assertThat(again.event(uuid(1))).isPresent();
        }
    }

    @Test
    void aMissingSchemaWithoutAutoMigrateIsAClearError() {
        PostgresStoreConfig config = EmbeddedPg.config("never_migrated").withAutoMigrate(false);

        assertThatThrownBy(() -> EventStores.open(config)).isInstanceOf(SchemaMissingException.class)
                .hasMessageContaining("missing").hasMessageContaining("auto_migrate = true");
    }

    @Test
    void anUnreachableDatabaseIsATransientStorageError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresStoreConfig config = PostgresStoreConfig.of(EmbeddedPg.connectionString(port, "x"))
                .withPool(2, 0, 1);

        assertThatThrownBy(() -> EventStores.open(config)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.isTransient()).isTrue()).hasMessageContaining("localhost:" + port);
    }

    @Test
    void aWrongPasswordIsNotMistakenForAnOutage() {
        // The embedded server trusts local connections, so use a missing database instead: a permanent error.
        PostgresStoreConfig config = PostgresStoreConfig.of(
                EmbeddedPg.connectionString(EmbeddedPg.get().getPort(), "no_such_database")).withPool(2, 0, 2);

        assertThatThrownBy(() -> EventStores.open(config)).isInstanceOf(StorageException.class)
                .hasMessageContaining("no_such_database");
    }

    @Test
    void textThatNeedsEscapingOrIsNotAsciiIsStoredExactly() {
        UUID trace = uuid(0xE5C);
        String[] odd = {"tab\there", "line\nbreak\r", "back\\slash", "quote\"d", "nul\0byte", "caf\u00e9 \u2713",
            "emoji \uD83D\uDE00", "lone \uD800 high", "lone \uDC00 low", "ends high \uD83D"};
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < odd.length; i++) {
            String s = odd[i];
            // The same text as variable, thread, service, tag and inside a free JSON value.
            Event e = stateChange(uuid(0xE000 + i), trace, i, "thread " + s, "var " + s, AccessType.Write,
                    "{\"v\":" + JsonValue.of(s).json() + ",\"n\":[1,\"" + "\\u00e9" + "\"]}");
            e = e.withMetadata(new EventMetadata(e.metadata().threadId(), 7, "svc " + s, "env " + s,
                    Map.of("k " + s, "v " + s), e.metadata().durationNs(), Optional.empty(), Optional.empty(),
                    Optional.empty()));
            events.add(e);
        }

        store.write(events);

        assertThat(store.traceEvents(trace)).containsExactlyElementsOf(events);
        for (int i = 0; i < odd.length; i++) {
            assertThat(store.event(events.get(i).id())).contains(events.get(i));
            if (!odd[i].startsWith("lone") && !odd[i].startsWith("ends")) { // UTF-8 cannot index a lone surrogate
                Event e = events.get(i);
                assertThat(store.variableAccesses("var " + odd[i])).singleElement().satisfies(a -> {
                    assertThat(a.eventId()).isEqualTo(e.id());
                    assertThat(a.variable()).isEqualTo(((EventKind.StateChange) e.kind()).variable());
                    assertThat(a.threadId()).isEqualTo(e.metadata().threadId());
                });
            }
        }
    }

    @Test
    void aBatchSpanningManyCopyChunksWithAnExistingIdInItsLastChunkStoresTheOthers() {
        UUID trace = uuid(0xB16);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            events.add(stateChange(uuid(0x100_000 + i), trace, i, "t" + i % 4, "v" + i % 13, AccessType.Write,
                    "\"" + "x".repeat(200) + i + "\""));
        }
        Event last = events.get(events.size() - 1); // the highest id: the last row the COPY sends
        store.write(List.of(last));

        WriteResult r = store.write(events);

        assertThat(r).isEqualTo(new WriteResult(2000, 1999));
        assertThat(store.traceEvents(trace)).containsExactlyElementsOf(events);
        assertThat(store.traceSummary(trace).orElseThrow().eventCount()).isEqualTo(2000);
        assertThat(store.variableAccesses("v0")).hasSize(154);
    }
}

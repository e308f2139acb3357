package dev.raceway.benchmarks.analysis;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.LockTypes;
import dev.raceway.core.event.VectorClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic synthetic workloads. Metadata and kinds are shared between events (as an SDK's would be equal), so
 * a million events fit in a modest heap.
 */
final class SyntheticTraces {
    private static final Instant BASE = Instant.parse("2024-01-01T12:00:00Z");
    private static final AccessType[] MIX = {AccessType.Read, AccessType.Read, AccessType.Read, AccessType.Read,
            AccessType.Read, AccessType.Write, AccessType.Write, AccessType.Write, AccessType.Write,
            AccessType.AtomicRMW};

    private SyntheticTraces() {
    }

    /**
     * One big trace: {@code threads} worker threads under a root call, each a linear parent chain (as SDKs emit),
     * reading and writing {@code variables} shared variables (a hot tenth gets half of the accesses), and every 64
     * events entering a critical section of a shared pool lock (whose release→acquire edges synchronise threads).
     */
    static List<Event> bigTrace(int events, int threads, int variables, long seed) {
        Random rnd = new Random(seed);
        UUID trace = new UUID(seed, 1);
        List<Event> out = new ArrayList<>(events);
        EventMetadata[] md = new EventMetadata[threads + 1];
        for (int t = 0; t <= threads; t++) {
            md[t] = EventMetadata.of(t == 0 ? "main" : "worker-" + t, 1, "bank", "bench").withDurationNs(1000);
        }
        EventKind.StateChange[][] kinds = stateKinds(variables);
        EventKind lock = new EventKind.LockAcquire("pool", LockTypes.MUTEX, "pool.rs:1");
        EventKind unlock = new EventKind.LockRelease("pool", LockTypes.MUTEX, "pool.rs:2");
        Event root = event(new UUID(seed, 2), trace, Optional.empty(), BASE,
                new EventKind.FunctionCall("main", "bank", JsonValue.EMPTY_OBJECT, "main.rs", 1), md[0]);
        out.add(root);
        UUID[] last = new UUID[threads + 1];
        int[] phase = new int[threads + 1];
        for (int t = 1; t <= threads; t++) {
            last[t] = root.id();
        }
        long id = 3;
        for (int i = 1; i < events; i++) {
            int t = 1 + rnd.nextInt(threads);
            EventKind kind;
            int p = phase[t]++ % 64;
            if (p == 0) {
                kind = lock;
            } else if (p == 2) {
                kind = unlock;
            } else {
                int v = rnd.nextBoolean() ? rnd.nextInt(Math.max(1, variables / 10)) : rnd.nextInt(variables);
                kind = kinds[v][rnd.nextInt(MIX.length)];
            }
            Event e = event(new UUID(seed, id++), trace, Optional.of(last[t]), BASE.plusNanos(i * 1000L), kind, md[t]);
            last[t] = e.id();
            out.add(e);
        }
        return out;
    }

    /**
     * Many small request traces (the cross-trace case): each request reads then writes a few of
     * {@code variables} accounts; a third of them do it under the account lock.
     */
    static List<List<Event>> requests(int traces, int stateChangesPerTrace, int variables, long seed) {
        Random rnd = new Random(seed);
        EventKind.StateChange[][] kinds = stateKinds(variables);
        List<List<Event>> out = new ArrayList<>(traces);
        long id = 1;
        for (int r = 0; r < traces; r++) {
            UUID trace = new UUID(seed, 1_000_000_000L + r);
            EventMetadata md = EventMetadata.of("req-" + r, 1, "bank", "bench").withDurationNs(1000);
            List<Event> events = new ArrayList<>(stateChangesPerTrace + 3);
            Instant t0 = BASE.plusMillis(r);
            Event root = event(new UUID(seed, id++), trace, Optional.empty(), t0,
                    new EventKind.FunctionCall("transfer", "bank", JsonValue.EMPTY_OBJECT, "bank.rs", 1), md);
            events.add(root);
            boolean locked = r % 3 == 0;
            UUID prev = root.id();
            int n = 0;
            if (locked) {
                Event l = event(new UUID(seed, id++), trace, Optional.of(prev), t0.plusNanos(1),
                        new EventKind.LockAcquire("accounts", LockTypes.MUTEX, "bank.rs:2"), md);
                events.add(l);
                prev = l.id();
            }
            while (n < stateChangesPerTrace) {
                int v = rnd.nextInt(variables);
                for (int k = 0; k < 2 && n < stateChangesPerTrace; k++, n++) {
                    EventKind.StateChange kind = kinds[v][k == 0 ? 0 : 5]; // read, then write
                    Event e = event(new UUID(seed, id++), trace, Optional.of(prev), t0.plusNanos(10L + n), kind, md);
                    events.add(e);
                    prev = e.id();
                }
            }
            if (locked) {
                events.add(event(new UUID(seed, id++), trace, Optional.of(prev), t0.plusNanos(10L + n + 1),
                        new EventKind.LockRelease("accounts", LockTypes.MUTEX, "bank.rs:9"), md));
            }
            out.add(events);
        }
        return out;
    }

    private static EventKind.StateChange[][] stateKinds(int variables) {
        EventKind.StateChange[][] kinds = new EventKind.StateChange[variables][MIX.length];
        for (int v = 0; v < variables; v++) {
            String name = "account-" + v + ".balance";
            for (int k = 0; k < MIX.length; k++) {
                kinds[v][k] = new EventKind.StateChange(name, Optional.of(JsonValue.of(100)), JsonValue.of(90),
                        "bank.rs:" + (10 + k), MIX[k]);
            }
        }
        return kinds;
    }

    private static Event event(UUID id, UUID trace, Optional<UUID> parent, Instant at, EventKind kind,
                               EventMetadata md) {
        return new Event(id, trace, parent, at, kind, md, VectorClock.empty(), List.of());
    }
}

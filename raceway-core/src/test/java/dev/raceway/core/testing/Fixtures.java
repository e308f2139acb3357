package dev.raceway.core.testing;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.VectorClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The conformance fixture of the reference (f0-fixture.json), built in code. */
public final class Fixtures {
    public static final UUID F0_TRACE = UUID.fromString("aaaaaaaa-aaaa-4aaa-aaaa-aaaaaaaaaaaa");
    public static final UUID F0_ROOT = UUID.fromString("bbbbbbbb-bbbb-4bbb-bbbb-bbbbbbbbbbbb");
    public static final UUID F0_FIRST_WRITE = UUID.fromString("cccccccc-cccc-4ccc-cccc-cccccccccccc");
    public static final UUID F0_SECOND_WRITE = UUID.fromString("dddddddd-dddd-4ddd-dddd-dddddddddddd");
    public static final UUID F0_RESPOND = UUID.fromString("eeeeeeee-eeee-4eee-eeee-eeeeeeeeeeee");

    private Fixtures() {
    }

    /** Root FunctionCall, two unsynchronised writes of {@code balance} on two workers, and a response call. */
    public static List<Event> f0() {
        Instant base = Instant.parse("2024-01-01T12:00:00Z");
        return List.of(
                event(F0_ROOT, null, base, "thread-main", 17,
                        new EventKind.FunctionCall("handle_request", "app::handlers", JsonValue.parse("{\"id\":42}"),
                                "app/handlers.rs", 10)),
                event(F0_FIRST_WRITE, F0_ROOT, base.plusMillis(1), "worker-1", 8,
                        new EventKind.StateChange("balance", Optional.of(JsonValue.of(10)), JsonValue.of(15),
                                "balance.rs:12", AccessType.Write)),
                event(F0_SECOND_WRITE, F0_ROOT, base.plusMillis(2), "worker-2", 9,
                        new EventKind.StateChange("balance", Optional.of(JsonValue.of(15)), JsonValue.of(20),
                                "balance.rs:45", AccessType.Write)),
                event(F0_RESPOND, F0_ROOT, base.plusMillis(5), "thread-main", 3,
                        new EventKind.FunctionCall("respond", "app::handlers", JsonValue.EMPTY_OBJECT,
                                "app/handlers.rs", 24)));
    }

    private static Event event(UUID id, UUID parent, Instant at, String thread, long ms, EventKind kind) {
        EventMetadata md = EventMetadata.of(thread, 1, "web", "test").withDurationNs(ms * 1_000_000);
        return new Event(id, F0_TRACE, Optional.ofNullable(parent), at, kind, md, VectorClock.empty(), List.of());
    }
}

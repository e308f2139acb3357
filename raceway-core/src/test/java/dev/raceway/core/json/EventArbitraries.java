package dev.raceway.core.json;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.ClockEntry;
import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.event.EventMetadata;
import dev.raceway.core.event.JsonValue;
import dev.raceway.core.event.MemoryOrdering;
import dev.raceway.core.event.VectorClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Events with everything the wire format must carry exactly: every kind, tricky text, numbers, optional fields. */
final class EventArbitraries {
    private EventArbitraries() {
    }

    /** Text with what needs care: quotes, backslashes, control characters, Latin-1, BMP and astral characters. */
    static Arbitrary<String> text() {
        Arbitrary<String> tricky = Arbitraries.strings().withChars("\"\\/\b\t\n\f\r\u0000\u001f\u007féß€中")
                .ofMaxLength(12);
        Arbitrary<String> astral = Arbitraries.of("😀", "𝄞", "a😀b").list().ofMaxSize(3)
                .map(l -> String.join("", l));
        Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().withChars(".-_:#").ofMaxLength(24);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, plain), net.jqwik.api.Tuple.of(3, tricky), net.jqwik.api.Tuple.of(1, astral),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(16).filter(EventArbitraries::noLoneSurrogate)));
    }

    /** Jackson's generator refuses lone surrogates; those are covered by {@link #loneSurrogatesAreEscapedAndSurvive}. */
    static boolean noLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static Arbitrary<JsonValue> values() {
        Arbitrary<JsonValue> scalars = Arbitraries.oneOf(
                Arbitraries.longs().map(JsonValue::of),
                text().map(JsonValue::of),
                Arbitraries.of(JsonValue.NULL, JsonValue.TRUE, JsonValue.FALSE, JsonValue.EMPTY_OBJECT,
                        JsonValue.ofCompactJson("1.50"), JsonValue.ofCompactJson("-0.0e1"),
                        JsonValue.ofCompactJson("123456789012345678901234567890")));
        Arbitrary<JsonValue> objects = Combinators.combine(text(), scalars, text(), scalars)
                .as((k1, v1, k2, v2) -> JsonValue.ofCompactJson("{" + quoted(k1) + ":" + v1.json() + ","
                        + quoted(secondKey(k1, k2)) + ":[" + v2.json() + "," + v1.json() + "]}"));
        return Arbitraries.oneOf(scalars, objects);
    }

    /** A key other than {@code first}: a body with a duplicate key is refused, so it is no valid event. */
    private static String secondKey(String first, String k) {
        return first.equals(k + "x") ? k + "y" : k + "x";
    }

    static String quoted(String s) {
        return JsonValue.of(s).json();
    }

    static Arbitrary<Map<String, String>> stringMaps() {
        return Arbitraries.maps(text(), text()).ofMaxSize(4);
    }

    static Arbitrary<EventKind> kinds() {
        Arbitrary<Long> small = Arbitraries.longs().between(0, 1L << 32);
        return Arbitraries.oneOf(
                Combinators.combine(text(), text(), values(), text(), small).as(EventKind.FunctionCall::new),
                Combinators.combine(text(), text().optional()).as(EventKind.AsyncSpawn::new),
                Combinators.combine(text(), text()).as(EventKind.AsyncAwait::new),
                Combinators.combine(text(), values().optional(), values(), text(), Arbitraries.of(AccessType.class))
                        .as(EventKind.StateChange::new),
                Combinators.combine(text(), text(), text()).as(EventKind.LockAcquire::new),
                Combinators.combine(text(), text(), text()).as(EventKind.LockRelease::new),
                Combinators.combine(Arbitraries.of(MemoryOrdering.class), text()).as(EventKind.MemoryFence::new),
                Combinators.combine(text(), text(), stringMaps(), values().optional()).as(EventKind.HttpRequest::new),
                Combinators.combine(Arbitraries.integers().between(0, 65535), stringMaps(), values().optional(),
                        Arbitraries.longs().greaterOrEqual(0)).as(EventKind.HttpResponse::new),
                Combinators.combine(text(), text(), Arbitraries.longs().greaterOrEqual(0))
                        .as(EventKind.DatabaseQuery::new),
                Arbitraries.longs().greaterOrEqual(0).map(EventKind.DatabaseResult::new),
                Combinators.combine(text(), text(), text().list().ofMaxSize(3)).as(EventKind.Error::new),
                Combinators.combine(text(), values()).as(EventKind.Custom::new),
                values().filter(v -> v.json().startsWith("{"))
                        .map(v -> (EventKind) new EventKind.Extension("FunctionReturn", v)));
    }

    static Arbitrary<EventMetadata> metadata() {
        Arbitrary<List<Optional<String>>> distributed = Combinators.combine(text().optional(), text().optional(),
                text().optional()).as(List::of);
        return Combinators.combine(text(), Arbitraries.longs().between(0, 0xFFFF_FFFFL), text(), text(), stringMaps(),
                Arbitraries.longs().greaterOrEqual(0).optional(), distributed).as((thread, pid, service, env, tags,
                duration, ids) -> new EventMetadata(thread, pid, service, env, tags,
                duration.map(OptionalLong::of).orElse(OptionalLong.empty()), ids.get(0), ids.get(1), ids.get(2)));
    }

    static Arbitrary<Event> events() {
        Arbitrary<VectorClock> clocks = Combinators.combine(text(), Arbitraries.longs().greaterOrEqual(0))
                .as(ClockEntry::new).list().ofMaxSize(3).uniqueElements(ClockEntry::component).map(VectorClock::of);
        Arbitrary<Instant> times = Arbitraries.longs().between(-62_000_000_000L, 250_000_000_000L)
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
        return Combinators.combine(Arbitraries.create(UUID::randomUUID), Arbitraries.create(UUID::randomUUID).optional(),
                times, kinds(), metadata(), clocks, text().list().ofMaxSize(3))
                .as((id, parent, at, kind, md, clock, locks) -> new Event(id, UUID.randomUUID(), parent, at, kind, md,
                        clock, locks));
    }

    static Arbitrary<List<Event>> batches() {
        return events().list().ofMaxSize(20).map(ArrayList::new);
    }
}

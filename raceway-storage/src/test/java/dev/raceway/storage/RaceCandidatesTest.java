package dev.raceway.storage;

import static dev.raceway.storage.TestEvents.at;
import static dev.raceway.storage.TestEvents.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RaceCandidatesTest {
    private static final Duration SKEW = Duration.ofMillis(50);
    private static final UUID A = uuid(0xA);
    private static final UUID B = uuid(0xB);
    private static final UUID C = uuid(0xC);

    private static AccessFootprint f(String variable, UUID trace, int threads, long startMs, long endMs,
                                     AccessType... types) {
        return new AccessFootprint(variable, trace, EnumSet.copyOf(List.of(types)), threads, at(startMs), at(endMs));
    }

    private static java.util.Set<UUID> of(List<AccessFootprint> footprints, TraceLink... links) {
        return RaceCandidates.of(footprints, List.of(links), SKEW);
    }

    @Test
    void aReadAndAWriteFromTwoThreadsOfOneTraceMayRace() {
        assertThat(of(List.of(f("x", A, 2, 0, 10, AccessType.Read, AccessType.Write)))).containsExactly(A);
        assertThat(of(List.of(f("x", A, 2, 0, 10, AccessType.Write)))).containsExactly(A);
        assertThat(of(List.of(f("x", A, 2, 0, 10, AccessType.Read, AccessType.AtomicWrite)))).containsExactly(A);
    }

    @Test
    void oneThreadTwoReadsOrOnlyAtomicsNeverRaceInsideATrace() {
        assertThat(of(List.of(f("x", A, 1, 0, 10, AccessType.Read, AccessType.Write)))).isEmpty();
        assertThat(of(List.of(f("x", A, 5, 0, 10, AccessType.Read)))).isEmpty();
        assertThat(of(List.of(f("x", A, 5, 0, 10, AccessType.AtomicRMW, AccessType.AtomicRead)))).isEmpty();
    }

    @Test
    void overlappingTracesWithAConflictOnOneVariableMayRace() {
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Read), f("x", B, 1, 50, 150, AccessType.Write))))
                .containsExactlyInAnyOrder(A, B);
        // only the skew apart: still not ordered beyond doubt
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Write), f("x", B, 1, 140, 200, AccessType.Write))))
                .containsExactlyInAnyOrder(A, B);
        // a third trace that only reads, concurrently with a writer: all three
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Write), f("x", B, 1, 0, 100, AccessType.Read),
                f("x", C, 1, 0, 100, AccessType.Read)))).containsExactlyInAnyOrder(A, B, C);
    }

    @Test
    void tracesThatCannotRaceAreNoCandidates() {
        // one after the other, beyond the skew
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Write), f("x", B, 1, 151, 200, AccessType.Write))))
                .isEmpty();
        // two readers
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Read), f("x", B, 1, 0, 100, AccessType.Read))))
                .isEmpty();
        // two atomics
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.AtomicRMW),
                f("x", B, 1, 0, 100, AccessType.AtomicRead)))).isEmpty();
        // different variables
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Write), f("y", B, 1, 0, 100, AccessType.Write))))
                .isEmpty();
        // a concurrent reader of x and a writer of y: only the pair on y races
        assertThat(of(List.of(f("x", A, 1, 0, 100, AccessType.Read), f("x", B, 1, 0, 100, AccessType.Read),
                f("y", B, 1, 0, 100, AccessType.Write), f("y", C, 1, 0, 100, AccessType.Read))))
                .containsExactlyInAnyOrder(B, C);
    }

    @Test
    void linkedTracesAreCandidatesAndRaceWithTheirGroupsWindow() {
        // A and B linked: both candidates; C lies between their windows, so it overlaps the group's window
        List<AccessFootprint> fs = List.of(f("x", A, 1, 0, 10, AccessType.Read), f("x", B, 1, 1000, 1010,
                AccessType.Read), f("x", C, 1, 500, 510, AccessType.Write));
        assertThat(of(fs, new TraceLink(A, B))).containsExactlyInAnyOrder(A, B, C);
        assertThat(of(fs)).isEmpty(); // without the link, C overlaps neither
        // a link to a trace without state changes makes no group
        assertThat(of(List.of(f("x", A, 1, 0, 10, AccessType.Read)), new TraceLink(A, uuid(0xDEAD)))).isEmpty();
    }
}

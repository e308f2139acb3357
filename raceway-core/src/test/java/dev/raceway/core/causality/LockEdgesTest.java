package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import org.junit.jupiter.api.Test;

class LockEdgesTest {

    /** The lock edges among {@code events} (in canonical order), by position. */
    private static String edges(Event... events) {
        byte[] tags = new byte[events.length];
        for (int i = 0; i < events.length; i++) {
            tags[i] = KindTag.of(events[i].kind());
        }
        EdgeList edges = new EdgeList();
        LockEdges.add(events, tags, edges);
        return edges.toString();
    }

    @Test
    void sharedAcquiresFollowTheLastExclusiveReleaseAndAnExclusiveAcquireEverySharedReleaseSince() {
        String e = edges(
                Ev.in(1).id(1).thread("a").at(0).writeLock("R"),
                Ev.in(1).id(2).thread("a").at(1).writeUnlock("R"),
                Ev.in(1).id(3).thread("b").at(2).readLock("R"),
                Ev.in(1).id(4).thread("b").at(3).readUnlock("R"),
                Ev.in(1).id(5).thread("c").at(4).readLock("R"),
                Ev.in(1).id(6).thread("c").at(5).readUnlock("R"),
                Ev.in(1).id(7).thread("d").at(6).writeLock("R"),
                Ev.in(1).id(8).thread("d").at(7).writeUnlock("R"),
                Ev.in(1).id(9).thread("a").at(8).writeLock("R"));
        assertThat(e).isEqualTo("[1→2, 1→4, 1→6, 3→6, 5→6, 7→8]");
    }

    @Test
    void theSameLockIdInTwoTracesIsTwoLocks() {
        String e = edges(
                Ev.in(1).id(1).at(0).lock("L"),
                Ev.in(1).id(2).at(1).unlock("L"),
                Ev.in(2).id(3).at(2).lock("L"),
                Ev.in(1).id(4).at(3).lock("L"));
        assertThat(e).isEqualTo("[1→3]");
    }
}

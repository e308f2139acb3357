package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockSetsTest {

    private static LockSet[] locks(Event... events) {
        byte[] tags = new byte[events.length];
        for (int i = 0; i < events.length; i++) {
            tags[i] = KindTag.of(events[i].kind());
        }
        return LockSets.of(events, tags, ThreadChains.of(events).thread);
    }

    @Test
    void anEventSeesTheLocksHeldBeforeItsOwnEffectAndReentrantAcquiresAreCounted() {
        LockSet[] s = locks(
                Ev.in(1).id(1).at(0).lock("L"),
                Ev.in(1).id(2).at(1).lock("L"),
                Ev.in(1).id(3).at(2).unlock("L"),
                Ev.in(1).id(4).at(3).write("x", 0, 1),
                Ev.in(1).id(5).at(4).unlock("L"),
                Ev.in(1).id(6).at(5).write("x", 1, 2));
        LockSet l = LockSet.exclusive("L");
        assertThat(s).containsExactly(LockSet.EMPTY, l, l, l, l, LockSet.EMPTY);
    }

    @Test
    void readLocksAreHeldSharedAndLocksArePerThread() {
        LockSet[] s = locks(
                Ev.in(1).id(1).thread("r").at(0).readLock("R"),
                Ev.in(1).id(2).thread("w").at(1).writeLock("R"),
                Ev.in(1).id(3).thread("r").at(2).read("x", 1),
                Ev.in(1).id(4).thread("w").at(3).write("x", 1, 2));
        assertThat(s[2].holdsShared("R")).isTrue();
        assertThat(s[3].holds("R")).isTrue();
        assertThat(s[3].holdsShared("R")).isFalse();
        assertThat(s[1]).isEqualTo(LockSet.EMPTY);
    }

    @Test
    void releasingALockNotHeldChangesNothingAndEqualSetsAreOneObject() {
        List<Event> events = new ArrayList<>();
        events.add(Ev.in(1).id(1).at(0).unlock("other"));
        events.add(Ev.in(1).id(2).at(1).lock("L"));
        events.add(Ev.in(1).id(3).at(2).unlock("other"));
        events.add(Ev.in(1).id(4).at(3).write("x", 0, 1));
        events.add(Ev.in(1).id(5).thread("u").at(4).lock("L"));
        events.add(Ev.in(1).id(6).thread("u").at(5).write("x", 1, 2));
        LockSet[] s = locks(events.toArray(new Event[0]));
        assertThat(s[1]).isSameAs(LockSet.EMPTY);
        assertThat(s[3]).isEqualTo(LockSet.exclusive("L"));
        assertThat(s[5]).isSameAs(s[3]);
    }
}

package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import org.junit.jupiter.api.Test;

class ThreadChainsTest {

    @Test
    void eventsOfOneThreadAreLinkedInOrderAndThreadsAreNumberedByFirstEvent() {
        Event[] events = {
            Ev.in(1).id(1).thread("t").at(0).call("a"),
            Ev.in(1).id(2).thread("u").at(1).call("b"),
            Ev.in(1).id(3).thread("t").at(2).call("c"),
            Ev.in(1).id(4).thread("t").at(3).call("d"),
        };
        ThreadChains t = ThreadChains.of(events);
        assertThat(t.thread).containsExactly(0, 1, 0, 0);
        assertThat(t.previous).containsExactly(-1, -1, 0, 2);
        assertThat(t.next).containsExactly(2, -1, 3, -1);
        assertThat(t.hasSuccessor(0)).isTrue();
        assertThat(t.hasSuccessor(1)).isFalse();
    }

    @Test
    void oneThreadIdInTwoTracesOrTwoProcessesIsTwoThreads() {
        Event[] events = {
            Ev.in(1).id(1).thread("7").service("api").instance("i1").at(0).call("a"),
            Ev.in(2).id(2).thread("7").service("api").instance("i1").at(1).call("b"),
            Ev.in(1).id(3).thread("7").service("db").at(2).call("c"),
            Ev.in(1).id(4).thread("7").service("api").instance("i2").at(3).call("d"),
            Ev.in(1).id(5).thread("7").service("db").at(4).call("e"),
            Ev.in(1).id(6).thread("7").service("api").instance("i1").at(5).call("f"),
        };
        ThreadChains t = ThreadChains.of(events);
        assertThat(t.thread).containsExactly(0, 1, 2, 3, 2, 0);
        assertThat(t.previous).containsExactly(-1, -1, -1, -1, 2, 0);
    }
}

package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.AccessType;
import dev.raceway.core.event.Event;
import dev.raceway.core.testing.Ev;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RaceCounterTest {

    /**
     * A random trace shaped to stress the counter: many variables and threads (sometimes more than fit a small
     * per-variable table), parents across threads (join points), timestamps that tie or run against parent links
     * (so the topological order is not the canonical one), nested mutexes and read/write locks.
     */
    static List<Event> randomTrace(long seed, int n) {
        Random rnd = new Random(seed);
        return randomTrace(rnd, n, 1 + rnd.nextInt(rnd.nextBoolean() ? 6 : 90), 1 + rnd.nextInt(8));
    }

    static List<Event> randomTrace(Random rnd, int n, int threads, int variables) {
        AccessType[] types = AccessType.values();
        List<Event> events = new ArrayList<>();
        List<List<String>> held = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            held.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            int t = rnd.nextInt(threads);
            List<String> h = held.get(t);
            Ev b = Ev.in(1).id(i + 1).thread("t" + t).at(rnd.nextInt(4) == 0 ? rnd.nextInt(n) : i);
            if (i > 0 && rnd.nextInt(6) == 0) {
                b.parent(events.get(rnd.nextInt(i)).id());
            }
            int kind = rnd.nextInt(12);
            Event e;
            if (kind == 0 && h.size() < 3) {
                String lock = List.of("L", "M", "RW").get(rnd.nextInt(3));
                if (h.contains(lock)) {
                    lock = lock + h.size();
                }
                boolean read = lock.startsWith("RW") && rnd.nextBoolean();
                e = read ? b.readLock(lock) : lock.startsWith("RW") ? b.writeLock(lock) : b.lock(lock);
                h.add((read ? "r:" : "w:") + lock);
            } else if (kind == 1 && !h.isEmpty()) {
                String top = h.remove(h.size() - 1);
                String lock = top.substring(2);
                e = top.startsWith("r:") ? b.readUnlock(lock)
                        : lock.startsWith("RW") ? b.writeUnlock(lock) : b.unlock(lock);
            } else if (kind < 10) {
                e = b.access("v" + rnd.nextInt(variables), types[rnd.nextInt(types.length)]);
            } else {
                e = b.call("f" + i);
            }
            events.add(e);
        }
        return events;
    }

    @Property(tries = 300)
    void countsAndListedPairsMatchTheSinglePassCounter(@ForAll long seed,
                                                       @ForAll @IntRange(min = 1, max = 400) int n,
                                                       @ForAll @IntRange(min = 0, max = 30) int maxDetails) {
        CausalityIndex index = CausalityIndex.of(randomTrace(seed, n));
        RaceCounter actual = new RaceCounter(index, maxDetails).run();
        ReferenceRaceCounter expected = new ReferenceRaceCounter(index, maxDetails).run();
        assertThat(actual.pairs()).isEqualTo(expected.pairs());
        assertThat(actual.critical()).isEqualTo(expected.critical());
        assertThat(actual.details()).containsExactlyElementsOf(expected.details());
        assertThat(List.copyOf(actual.byVariable().values()))
                .containsExactlyElementsOf(expected.byVariable().values());
    }

    @Property(tries = 20)
    void variablesTouchedByHundredsOfThreadsAreCountedLikeByTheSinglePassCounter(
            @ForAll long seed, @ForAll @IntRange(min = 600, max = 1500) int n) {
        // 300+ threads on two variables: more chains per variable than the counter keeps cursors for
        int threads = 300 + new Random(~seed).nextInt(100);
        CausalityIndex index = CausalityIndex.of(randomTrace(new Random(seed), n, threads, 2));
        RaceCounter actual = new RaceCounter(index, 50).run();
        ReferenceRaceCounter expected = new ReferenceRaceCounter(index, 50).run();
        assertThat(actual.pairs()).isEqualTo(expected.pairs());
        assertThat(actual.critical()).isEqualTo(expected.critical());
        assertThat(actual.details()).containsExactlyElementsOf(expected.details());
    }

    @Test
    void cappedDetailsListTheTopologicallyEarliestPairEvenOfALaterVariable() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("t1").at(1).write("x", 0, 1),
                Ev.in(1).id(2).thread("t1").at(2).write("y", 0, 1),
                Ev.in(1).id(3).thread("t2").at(3).write("y", 1, 2),
                Ev.in(1).id(4).thread("t2").at(4).write("x", 1, 2));
        RaceCounter c = new RaceCounter(CausalityIndex.of(events), 1).run();
        assertThat(c.pairs()).isEqualTo(2);
        assertThat(c.details()).singleElement().satisfies(p -> {
            assertThat(p.variable()).isEqualTo("y");
            assertThat(p.first().id()).isEqualTo(Ev.uuid(2));
            assertThat(p.second().id()).isEqualTo(Ev.uuid(3));
        });
    }

    @Test
    void noDetailsAreListedWhenNoneAreWantedButCountsStayExact() {
        List<Event> events = List.of(
                Ev.in(1).id(1).thread("t1").at(1).write("x", 0, 1),
                Ev.in(1).id(2).thread("t2").at(2).write("x", 1, 2),
                Ev.in(1).id(3).thread("t3").at(3).read("x", 2));
        RaceCounter c = new RaceCounter(CausalityIndex.of(events), 0).run();
        assertThat(c.pairs()).isEqualTo(3);
        assertThat(c.critical()).isEqualTo(1);
        assertThat(c.details()).isEmpty();
    }

    @Test
    void aVariableWithMoreThan64LockClassesIsCountedExactly() {
        // every thread writes x twice under its own lock: 140 accesses in 70 (access class, lock set) classes
        List<Event> events = new ArrayList<>();
        int id = 1;
        for (int t = 0; t < 70; t++) {
            String thread = "t" + t;
            events.add(Ev.in(1).id(id++).thread(thread).at(t).lock("L" + t));
            events.add(Ev.in(1).id(id++).thread(thread).at(t).write("x", t, t + 1));
            events.add(Ev.in(1).id(id++).thread(thread).at(t).write("x", t + 1, t + 2));
            events.add(Ev.in(1).id(id++).thread(thread).at(t).unlock("L" + t));
        }
        CausalityIndex index = CausalityIndex.of(events);
        RaceCounter c = new RaceCounter(index, 20).run();
        ReferenceRaceCounter r = new ReferenceRaceCounter(index, 20).run();
        long expected = 140L * 139 / 2 - 70; // all pairs but the two writes of one thread
        assertThat(c.pairs()).isEqualTo(expected);
        assertThat(c.critical()).isEqualTo(expected);
        assertThat(c.details()).containsExactlyElementsOf(r.details());
    }

    @Test
    void manyPairsOfOneAccessAreListedUpToTheCapInTheOrderFound() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(Ev.in(1).id(i + 1).thread("t" + i).at(i).write("x", i, i + 1));
        }
        RaceCounter c = new RaceCounter(CausalityIndex.of(events), 5).run();
        ReferenceRaceCounter r = new ReferenceRaceCounter(CausalityIndex.of(events), 5).run();
        assertThat(c.pairs()).isEqualTo(50 * 49 / 2);
        assertThat(c.details()).hasSize(5).containsExactlyElementsOf(r.details());
    }
}

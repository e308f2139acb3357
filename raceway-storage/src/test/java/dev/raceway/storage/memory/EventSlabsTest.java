package dev.raceway.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventSlabsTest {

    /** Random adds and removes (in random, not arrival, order) against a map of the expected bytes per handle. */
    @Test
    void everyLiveHandleKeepsItsBytesThroughRemovalsReuseAndCompaction() {
        Random random = new Random(7);
        EventSlabs slabs = new EventSlabs();
        Map<Integer, byte[]> expected = new HashMap<>();
        List<Integer> handles = new ArrayList<>();
        for (int step = 0; step < 400_000; step++) {
            if (handles.isEmpty() || random.nextInt(100) < 55) {
                byte[] bytes = new byte[1 + random.nextInt(random.nextInt(50) == 0 ? 3000 : 200)];
                random.nextBytes(bytes);
                int h = slabs.add(bytes, bytes.length);
                assertThat(expected.put(h, bytes)).as("handle %d handed out twice", h).isNull();
                handles.add(h);
            } else {
                int h = handles.remove(random.nextInt(handles.size()));
                slabs.remove(h);
                expected.remove(h);
            }
            if (step % 1000 == 0) {
                slabs.compact();
            }
        }
        slabs.compact();
        assertThat(slabs.size()).isEqualTo(expected.size());
        for (Map.Entry<Integer, byte[]> e : expected.entrySet()) {
            int h = e.getKey();
            assertThat(Arrays.copyOfRange(slabs.slab(h), slabs.offset(h), slabs.offset(h) + slabs.length(h)))
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void memoryFollowsTheLiveEventsWhateverOrderTheyAreRemovedIn() {
        EventSlabs slabs = new EventSlabs();
        byte[] event = new byte[100];
        List<Integer> handles = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) { // about 19 slabs
            handles.add(slabs.add(event, event.length));
        }
        long full = slabs.allocatedBytes();
        // Keep one event in fifty: every slab keeps some live events, so none can be dropped without compaction.
        for (int i = 0; i < handles.size(); i++) {
            if (i % 50 != 0) {
                slabs.remove(handles.get(i));
            }
        }
        slabs.compact();
        assertThat(slabs.size()).isEqualTo(4000);
        assertThat(slabs.allocatedBytes()).isLessThanOrEqualTo(2L * EventSlabs.SLAB_BYTES).isLessThan(full / 5);
        for (int i = 0; i < handles.size(); i += 50) {
            assertThat(slabs.length(handles.get(i))).isEqualTo(100);
        }
    }

    @Test
    void anEventLargerThanASlabGetsASlabOfItsOwn() {
        EventSlabs slabs = new EventSlabs();
        byte[] big = new byte[EventSlabs.SLAB_BYTES + 10];
        big[big.length - 1] = 42;
        int small = slabs.add(new byte[] {1}, 1);
        int h = slabs.add(big, big.length);
        assertThat(slabs.slab(h)[slabs.offset(h) + big.length - 1]).isEqualTo((byte) 42);
        assertThat(slabs.slab(small)[slabs.offset(small)]).isEqualTo((byte) 1);
        slabs.remove(h);
        slabs.add(new byte[] {2}, 1); // starts a new slab: the big one, now empty, is dropped
        assertThat(slabs.allocatedBytes()).isLessThanOrEqualTo(2L * EventSlabs.SLAB_BYTES);
    }

    @Test
    void misuseIsRefused() {
        EventSlabs slabs = new EventSlabs();
        int h = slabs.add(new byte[] {1}, 1);
        slabs.remove(h);
        assertThatThrownBy(() -> slabs.remove(h)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in use");
        assertThatThrownBy(() -> slabs.add(new byte[0], 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

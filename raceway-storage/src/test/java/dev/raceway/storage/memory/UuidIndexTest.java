package dev.raceway.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidIndexTest {

    @Test
    void behavesLikeAHashMapUnderRandomInsertsLookupsAndRemovals() {
        Random random = new Random(42);
        UuidIndex index = new UuidIndex();
        Map<UUID, Integer> reference = new HashMap<>();
        UUID[] pool = new UUID[5_000];
        for (int i = 0; i < pool.length; i++) {
            // Clustered ids (few distinct high words) as well as random ones, so that probe runs collide and wrap.
            pool[i] = i % 2 == 0 ? UUID.randomUUID() : new UUID(i % 7, random.nextInt(64));
        }
        for (int step = 0; step < 200_000; step++) {
            UUID id = pool[random.nextInt(pool.length)];
            switch (random.nextInt(3)) {
                case 0 -> {
                    Integer before = reference.putIfAbsent(id, step);
                    assertThat(index.putIfAbsent(id, step)).isEqualTo(before == null ? -1 : before);
                }
                case 1 -> assertThat(index.remove(id)).isEqualTo(reference.remove(id) != null);
                default -> assertThat(index.get(id)).isEqualTo(reference.getOrDefault(id, -1));
            }
            assertThat(index.size()).isEqualTo(reference.size());
        }
        for (UUID id : pool) {
            assertThat(index.get(id)).isEqualTo(reference.getOrDefault(id, -1));
        }
    }

    @Test
    void growsAndShrinksWithoutLosingEntries() {
        UuidIndex index = new UuidIndex();
        UUID[] ids = new UUID[100_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID();
            assertThat(index.putIfAbsent(ids[i], i)).isEqualTo(-1);
        }
        for (int i = 0; i < ids.length; i += 2) {
            assertThat(index.remove(ids[i])).isTrue();
        }
        assertThat(index.size()).isEqualTo(ids.length / 2);
        for (int i = 0; i < ids.length; i++) {
            assertThat(index.get(ids[i])).isEqualTo(i % 2 == 0 ? -1 : i);
        }
        index.clear();
        assertThat(index.size()).isZero();
        assertThat(index.get(ids[1])).isEqualTo(-1);
    }

    @Test
    void theFirstValueForAnIdWins() {
        UuidIndex index = new UuidIndex();
        UUID id = UUID.randomUUID();
        assertThat(index.putIfAbsent(id, 0)).isEqualTo(-1); // 0 is a value like any other
        assertThat(index.putIfAbsent(id, 7)).isEqualTo(0);
        assertThat(index.get(id)).isEqualTo(0);
        assertThat(index.remove(id)).isTrue();
        assertThat(index.remove(id)).isFalse();
    }
}

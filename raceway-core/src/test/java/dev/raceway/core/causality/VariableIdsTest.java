package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariableIdsTest {

    private static int id(VariableIds ids, String name) {
        return ids.idOf(name, name.hashCode());
    }

    @Test
    void idsAreDenseInOrderOfFirstLookupAndStableForEqualNames() {
        VariableIds ids = new VariableIds();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            names.add("account-" + i + ".balance");
        }
        for (int i = 0; i < names.size(); i++) {
            assertThat(id(ids, names.get(i))).isEqualTo(i);
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            assertThat(id(ids, new String(names.get(i)))).as("an equal but distinct string").isEqualTo(i);
        }
        assertThat(ids.size()).isEqualTo(1000);
        assertThat(ids.names()).containsExactlyElementsOf(names);
    }

    @Test
    void namesSharingOneStringHashKeepTheirOwnIds() {
        // "Aa" and "BB" hash alike, so every concatenation of n of them shares one hash: 2^12 colliding names
        List<String> names = new ArrayList<>(List.of(""));
        for (int round = 0; round < 12; round++) {
            List<String> next = new ArrayList<>();
            for (String s : names) {
                next.add(s + "Aa");
                next.add(s + "BB");
            }
            names = next;
        }
        assertThat(names.stream().mapToInt(String::hashCode).distinct().count()).isEqualTo(1);
        VariableIds ids = new VariableIds();
        id(ids, "before");
        for (int i = 0; i < names.size(); i++) {
            assertThat(id(ids, names.get(i))).isEqualTo(i + 1);
        }
        assertThat(id(ids, "before")).isZero();
        assertThat(id(ids, names.get(7))).isEqualTo(8);
        assertThat(id(ids, "after")).isEqualTo(names.size() + 1);
        assertThat(ids.names()).hasSize(names.size() + 2).startsWith("before", names.get(0)).endsWith("after");
    }
}

package dev.raceway.core.causality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TraceGroupsTest {
    private static UUID id(int n) {
        return new UUID(0, n);
    }

    @Test
    void linkedTracesShareTheSmallestIdAsRepresentativeWhateverTheOrderOfLinks() {
        for (List<int[]> links : List.of(List.of(new int[] {3, 2}, new int[] {2, 1}, new int[] {5, 4}),
                List.of(new int[] {5, 4}, new int[] {1, 2}, new int[] {2, 3}))) {
            TraceGroups g = new TraceGroups();
            for (int n = 1; n <= 6; n++) {
                g.add(id(n));
            }
            links.forEach(l -> g.join(id(l[0]), id(l[1])));
            assertThat(List.of(1, 2, 3).stream().map(n -> g.representative(id(n)))).containsOnly(id(1));
            assertThat(List.of(4, 5).stream().map(n -> g.representative(id(n)))).containsOnly(id(4));
            assertThat(g.representative(id(6))).as("unlinked: a group of its own").isEqualTo(id(6));
        }
    }

    @Test
    void addingTwiceKeepsTheGroupAndOnlyAddedTracesAreContained() {
        TraceGroups g = new TraceGroups();
        g.add(id(2));
        g.add(id(1));
        g.join(id(2), id(1));
        g.add(id(2));
        assertThat(g.representative(id(2))).isEqualTo(id(1));
        assertThat(g.contains(id(1))).isTrue();
        assertThat(g.contains(id(3))).isFalse();
    }
}

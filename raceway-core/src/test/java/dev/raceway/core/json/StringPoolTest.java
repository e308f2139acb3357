package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class StringPoolTest {

    @Property
    void hashIsStringHashCode(@ForAll @StringLength(max = 40) String s, @ForAll @StringLength(max = 5) String pad) {
        char[] buffer = (pad + s + pad).toCharArray();
        assertThat(StringPool.hash(buffer, pad.length(), s.length())).isEqualTo(s.hashCode());
    }

    @Property
    void returnsEqualStringsAndOneInstancePerRepeat(@ForAll @StringLength(max = 200) String s) {
        StringPool pool = new StringPool();
        char[] buffer = ("x" + s + "y").toCharArray();
        String first = pool.get(buffer, 1, s.length());
        String again = pool.get(buffer, 1, s.length());
        assertThat(first).isEqualTo(s);
        assertThat(again).isEqualTo(s);
        if (s.length() <= StringPool.MAX_POOLED_LENGTH) {
            assertThat(again).isSameAs(first);
        }
    }
}

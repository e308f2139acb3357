package dev.raceway.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.raceway.core.event.Event;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BytePoolTest {
    @Property(tries = 5000)
    void specialsFlagsExactlyTheFirstByteAStringScanMustStopAt(@ForAll @Size(8) byte[] bytes) {
        long w = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int first = 8;
        for (int i = 0; i < 8; i++) {
            byte c = bytes[i];
            if (c == '"' || c == '\\' || c < 0x20) { // negative: not ASCII
                first = i;
                break;
            }
        }
        long special = BytePool.specials(w);
        assertThat(special == 0 ? 8 : Long.numberOfTrailingZeros(special) >>> 3).isEqualTo(first);
    }

    @Property(tries = 1000)
    void aStringIsFoundAgainWhereverItsBytesLie(@ForAll @Size(max = 40) byte[] bytes, @ForAll @Size(max = 9) byte[] pad) {
        byte[] a = new byte[pad.length + bytes.length];
        System.arraycopy(bytes, 0, a, pad.length, bytes.length);
        assertThat(BytePool.hash(a, pad.length, bytes.length)).isEqualTo(BytePool.hash(bytes, 0, bytes.length));
    }

    @Test
    void repeatedStringsOfABatchAreOneInstanceWhicheverWayTheyWereScanned() throws Exception {
        // The long name spans several words of the scanner. "ab" ends inside a word in the first event, but in the
        // last one it is within eight bytes of the body's end, where strings are scanned byte by byte: the two
        // ways must hash alike, or the pool would miss.
        String name = "a-service-name-longer-than-eight-bytes";
        String body = "{\"events\":[" + event(name, "ab") + "," + event(name, "ab") + "]}";
        List<Event> events = FastBatchDecoder.decode(body.getBytes(StandardCharsets.UTF_8), 0, body.length(),
                DecodeLimits.DEFAULT).events();
        assertThat(body).endsWith("\"ab\"}}]}");
        assertThat(events.get(0).metadata().threadId()).isEqualTo("ab").isSameAs(events.get(1).metadata().threadId());
        assertThat(events.get(0).metadata().serviceName()).isEqualTo(name)
                .isSameAs(events.get(1).metadata().serviceName());
    }

    private static String event(String service, String thread) {
        return "{\"id\":\"" + java.util.UUID.randomUUID() + "\",\"trace_id\":\"" + java.util.UUID.randomUUID()
                + "\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"kind\":{\"DatabaseResult\":{\"rows_affected\":1}},"
                + "\"metadata\":{\"process_id\":1,\"service_name\":\"" + service + "\",\"environment\":\"dev\","
                + "\"tags\":{},\"thread_id\":\"" + thread + "\"}}";
    }
}

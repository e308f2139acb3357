package dev.raceway.storage.postgres;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import dev.raceway.core.json.EventJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Streams event rows to a {@code COPY events … FROM STDIN (FORMAT binary)} as they are encoded.
 *
 * <p>Rows go out in chunks while later events are still being encoded, so that the server inserts the first rows
 * while the client encodes the rest: on a small machine the JSON encoding and the server's work overlap instead of
 * adding up. The binary format also spares both sides the escaping and parsing of the text format.
 */
final class EventCopy {
    static final String SQL = "COPY events (id, trace_id, ts_ns, clock_size, variable, sc_thread, sc_service, "
            + "sc_access, body) FROM STDIN (FORMAT binary)";

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, // flags: no OIDs
        0, 0, 0, 0}; // no header extension
    private static final short COLUMNS = 9;
    /** Large enough to amortise a call into the driver, small enough that the server starts early. */
    private static final int CHUNK = 32 * 1024;

    private final CopyIn copy;
    private final Buffer buffer = new Buffer(CHUNK + 4096);

    EventCopy(CopyIn copy) {
        this.copy = copy;
        buffer.write(HEADER, 0, HEADER.length);
    }

    /**
     * Encodes one event and sends what is buffered once a chunk is full.
     *
     * @throws EncodingFailure when the event cannot be encoded (the caller's data, not the database)
     */
    void add(Event e) throws SQLException {
        Buffer b = buffer;
        b.int16(COLUMNS);
        b.int32(16);
        b.uuid(e.id());
        b.int32(16);
        b.uuid(e.traceId());
        b.int32(8);
        b.int64(Rows.nanos(e.timestamp()));
        b.int32(4);
        b.int32(e.causalityVector().size());
        if (e.kind() instanceof EventKind.StateChange sc) {
            b.text(Rows.text(sc.variable()));
            b.text(Rows.text(e.metadata().threadId()));
            b.text(Rows.text(e.metadata().serviceName()));
            b.text(sc.accessType().wireName());
        } else {
            for (int i = 0; i < 4; i++) {
                b.int32(-1); // NULL
            }
        }
        int lengthAt = b.size;
        b.int32(0); // the body's length, known once it is written
        try {
            EventJson.writeAsciiJson(e, b);
        } catch (IOException | RuntimeException ex) {
            throw new EncodingFailure(ex);
        }
        b.putInt(lengthAt, b.size - lengthAt - 4);
        if (b.size >= CHUNK) {
            send();
        }
    }

    /** Sends the trailer and everything still buffered; the server may still be inserting afterwards. */
    void finish() throws SQLException {
        buffer.int16((short) -1);
        send();
        copy.flushCopy();
    }

    private void send() throws SQLException {
        copy.writeToCopy(buffer.bytes, 0, buffer.size);
        buffer.size = 0;
    }

    /** An event that could not be encoded: a problem with the batch, never with the database. */
    static final class EncodingFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final RuntimeException failure;

        EncodingFailure(Exception cause) {
            super(cause.getMessage(), cause, false, false);
            this.failure = cause instanceof RuntimeException r ? r : new UncheckedIOException((IOException) cause);
        }

        /** What encoding threw, as the caller would have seen it from the encoder itself. */
        RuntimeException failure() {
            return failure;
        }
    }

    /** A growable big-endian byte buffer; also the JSON generator's output. */
    private static final class Buffer extends OutputStream {
        byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void int16(short v) {
            ensure(2);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void int32(int v) {
            ensure(4);
            putInt(size, v);
            size += 4;
        }

        void putInt(int at, int v) {
            bytes[at] = (byte) (v >>> 24);
            bytes[at + 1] = (byte) (v >>> 16);
            bytes[at + 2] = (byte) (v >>> 8);
            bytes[at + 3] = (byte) v;
        }

        void int64(long v) {
            int32((int) (v >>> 32));
            int32((int) v);
        }

        void uuid(UUID u) {
            int64(u.getMostSignificantBits());
            int64(u.getLeastSignificantBits());
        }

        /** A text value: its UTF-8 bytes (the connection's client encoding), no escaping in binary format. */
        void text(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            int32(utf8.length);
            write(utf8, 0, utf8.length);
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }
}

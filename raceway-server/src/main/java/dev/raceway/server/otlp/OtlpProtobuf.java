package dev.raceway.server.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** OTLP's binary encoding ({@code application/x-protobuf}) of an export request. */
public final class OtlpProtobuf {
    /**
     * How deeply messages may nest; a value nested in arrays costs two levels per array. Protobuf's own default
     * (100) would also do; this keeps a hostile body's recursion short.
     */
    private static final int RECURSION_LIMIT = 64;

    private OtlpProtobuf() {
    }

    public static ExportTraceServiceRequest read(byte[] body, int offset, int length) throws MalformedOtlpException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(body, offset, length);
            in.setRecursionLimit(RECURSION_LIMIT);
            ExportTraceServiceRequest r = ExportTraceServiceRequest.parseFrom(in);
            in.checkLastTagWas(0);
            return r;
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedOtlpException("malformed OTLP protobuf: " + e.getMessage());
        } catch (IOException e) {
            throw new MalformedOtlpException("unreadable body: " + e.getMessage());
        }
    }

    /** A {@code google.rpc.Status} (code = 1, message = 2), the body of an error answer. */
    public static byte[] status(int code, String message) {
        try {
            byte[] text = message.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length + 16);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeByteArray(2, text);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

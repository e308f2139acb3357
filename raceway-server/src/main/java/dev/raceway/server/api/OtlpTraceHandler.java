package dev.raceway.server.api;

import dev.raceway.server.http.ApiRequest;
import dev.raceway.server.http.ApiResponse;
import dev.raceway.server.http.Handler;
import dev.raceway.server.otlp.MalformedOtlpException;
import dev.raceway.server.otlp.MappedSpans;
import dev.raceway.server.otlp.OtlpJson;
import dev.raceway.server.otlp.OtlpProtobuf;
import dev.raceway.server.otlp.SpanMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/traces}: OTLP/HTTP trace export, binary ({@code application/x-protobuf}) or JSON
 * ({@code application/json}); gzip is undone by the pipeline, which also applies the body limit (413). Answers as
 * the OTLP specification says, in the request's encoding:
 *
 * <ul>
 *   <li>200 with an {@code ExportTraceServiceResponse}; spans that could not be mapped (bad ids or times, too many
 *       attributes, values nested too deeply) are counted in {@code partial_success.rejected_spans} with the first
 *       reason, and the other spans of the request are stored;</li>
 *   <li>400 with a {@code google.rpc.Status} for a body that cannot be decoded, or whose every span was rejected;</li>
 *   <li>413, 503 + {@code Retry-After} (full buffer, slow commit) exactly as {@code POST /events} does
 *       ({@link EventSubmission}).</li>
 * </ul>
 */
final class OtlpTraceHandler implements Handler {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    /** google.rpc.Code values used in error bodies. */
    private static final int INVALID_ARGUMENT = 3;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final int UNAVAILABLE = 14;
    private static final int INTERNAL = 13;

    private final ServerContext ctx;
    private final EventSubmission submission;

    OtlpTraceHandler(ServerContext ctx) {
        this.ctx = ctx;
        this.submission = new EventSubmission(ctx);
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest req) {
        String contentType = req.headers().get("Content-Type");
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean binary = mime.equals(PROTOBUF);
        if (!binary && !mime.equals(JSON)) {
            return done(ApiResponse.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be "
                    + PROTOBUF + " or " + JSON + " (OTLP/HTTP), got "
                    + (contentType == null ? "none" : "'" + contentType + "'")));
        }
        Encoding enc = binary ? Encoding.PROTOBUF : Encoding.JSON;
        String encoding = req.headers().get("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return done(enc.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Encoding '" + encoding + "'; use gzip"));
        }
        Optional<ApiResponse> tooLarge = submission.tooLargeForStore(req.bodyLength(), enc::error);
        if (tooLarge.isPresent()) {
            return done(tooLarge.get());
        }
        ExportTraceServiceRequest request;
        try {
            request = decode(req.content(), binary);
        } catch (MalformedOtlpException e) {
            return done(enc.error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
        }
        MappedSpans mapped = SpanMapper.map(request);
        ctx.metrics().recordBatch(mapped.events().size(), 0);
        if (mapped.rejectedSpans() > 0 && mapped.rejectedSpans() == mapped.spans()) {
            return done(enc.error(HttpResponseStatus.BAD_REQUEST, mapped.rejectionMessage()));
        }
        ExportTraceServiceResponse.Builder answer = ExportTraceServiceResponse.newBuilder();
        if (mapped.rejectedSpans() > 0) {
            answer.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(mapped.rejectedSpans()).setErrorMessage(mapped.rejectionMessage()));
        }
        ApiResponse ok = enc.ok(answer.build());
        if (mapped.events().isEmpty()) {
            return done(ok);
        }
        return submission.submit(mapped.events(), (accepted, conflicting) -> ok, enc::error);
    }

    private static ExportTraceServiceRequest decode(ByteBuf body, boolean binary) throws MalformedOtlpException {
        int length = body.readableBytes();
        byte[] bytes;
        int offset;
        if (body.hasArray()) {
            bytes = body.array();
            offset = body.arrayOffset() + body.readerIndex();
        } else {
            bytes = ByteBufUtil.getBytes(body, body.readerIndex(), length, false);
            offset = 0;
        }
        return binary ? OtlpProtobuf.read(bytes, offset, length) : OtlpJson.read(bytes, offset, length);
    }

    /** The request's encoding, which the answer uses too. */
    private enum Encoding {
        PROTOBUF, JSON;

        ApiResponse ok(ExportTraceServiceResponse response) {
            return this == PROTOBUF
                    ? new ApiResponse(HttpResponseStatus.OK, Map.of(), OtlpTraceHandler.PROTOBUF,
                            response.toByteArray())
                    : new ApiResponse(HttpResponseStatus.OK, Map.of(), OtlpTraceHandler.JSON,
                            OtlpJson.write(response));
        }

        /** An error answer: a {@code google.rpc.Status} with a code matching the HTTP status. */
        ApiResponse error(HttpResponseStatus status, String message) {
            int code = switch (status.code()) {
                case 413, 429 -> RESOURCE_EXHAUSTED;
                case 503 -> UNAVAILABLE;
                case 500 -> INTERNAL;
                default -> INVALID_ARGUMENT;
            };
            return this == PROTOBUF
                    ? new ApiResponse(status, Map.of(), OtlpTraceHandler.PROTOBUF, OtlpProtobuf.status(code, message))
                    : new ApiResponse(status, Map.of(), OtlpTraceHandler.JSON, OtlpJson.status(code, message));
        }
    }

    private static CompletionStage<ApiResponse> done(ApiResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}

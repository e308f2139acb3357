package dev.raceway.server;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans made by the real OpenTelemetry SDK, kept in memory, then encoded by the SDK's own OTLP code: sent with its
 * OTLP/HTTP exporter (protobuf, JDK HTTP sender) or written by its OTLP/JSON marshaler.
 */
final class OtelSpans implements AutoCloseable {
    private final List<SpanData> finished = new ArrayList<>();
    private final SdkTracerProvider provider;

    OtelSpans(String service) {
        this(Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), service));
    }

    OtelSpans(Attributes resource) {
        SpanExporter keep = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                synchronized (finished) {
                    finished.addAll(spans);
                }
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        provider = SdkTracerProvider.builder().setResource(Resource.create(resource))
                .addSpanProcessor(SimpleSpanProcessor.create(keep)).build();
    }

    Tracer tracer() {
        return provider.get("dev.raceway.test", "1.0");
    }

    /** The spans ended so far. */
    List<SpanData> spans() {
        synchronized (finished) {
            return List.copyOf(finished);
        }
    }

    /** Sends {@code spans} with the SDK's OTLP/HTTP protobuf exporter; true when it reported success. */
    static boolean exportProtobuf(String baseUrl, List<SpanData> spans, String... headers) {
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setEndpoint(baseUrl + "/v1/traces")
                .setCompression("gzip").setTimeout(30, TimeUnit.SECONDS);
        for (int i = 0; i < headers.length; i += 2) {
            b.addHeader(headers[i], headers[i + 1]);
        }
        try (OtlpHttpSpanExporter exporter = b.build()) {
            CompletableResultCode r = exporter.export(spans);
            r.join(30, TimeUnit.SECONDS);
            return r.isSuccess();
        }
    }

    /** The OTLP/JSON encoding of {@code spans}, as the SDK's marshaler writes it. */
    static byte[] json(List<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeJsonTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The OTLP protobuf encoding of {@code spans}, as the SDK's marshaler writes it. */
    static byte[] protobuf(List<SpanData> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        provider.close();
    }
}

package dev.raceway.server.metrics;

import dev.raceway.core.json.EventJson;
import dev.raceway.core.json.FastPathCounters;
import dev.raceway.storage.ingest.IngestMetrics;
import java.util.Locale;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's counters, and their rendering in the Prometheus text exposition format 0.0.4: requests by route,
 * method and status; a latency histogram by route; events received, rejected as invalid, accepted, refused,
 * written and failed; the decoder's fast-path declines by reason and defects; queue depth; storage errors.
 */
public final class ServerMetrics {
    private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder eventsReceived = new LongAdder();
    private final LongAdder eventsInvalid = new LongAdder();
    private final LongAdder storageErrors = new LongAdder();
    private final LongAdder durableAckTimeouts = new LongAdder();
    private final LongAdder connectionsOpen = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder headerTimeouts = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder tlsHandshakeFailures = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();

    /** {@code route} and {@code method} come from fixed sets (route templates, standard methods), never a client. */
    public void recordRequest(String route, String method, int status, long nanos) {
        requests.computeIfAbsent(route + '\u0000' + method + '\u0000' + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).record(nanos / 1e9);
    }

    public void recordBatch(int received, int invalid) {
        eventsReceived.add(received);
        eventsInvalid.add(invalid);
    }

    public void recordStorageError() {
        storageErrors.increment();
    }

    public void recordDurableAckTimeout() {
        durableAckTimeouts.increment();
    }

    public void connectionOpened() {
        connectionsOpen.increment();
    }

    public void connectionClosed() {
        connectionsOpen.decrement();
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    public void headerTimeout() {
        headerTimeouts.increment();
    }

    public void authFailure() {
        authFailures.increment();
    }

    public void tlsHandshakeFailure() {
        tlsHandshakeFailures.increment();
    }

    /** A handler failed with an {@link Error} (e.g. out of memory) and its request was answered 500/503. */
    public void handlerError() {
        handlerErrors.increment();
    }

    public long connectionsOpen() {
        return connectionsOpen.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    public long storageErrors() {
        return storageErrors.sum();
    }

    public long eventsInvalid() {
        return eventsInvalid.sum();
    }

    /** The exposition text. */
    public String render(Supplier<IngestMetrics> ingest, long uptimeSeconds, long storedEvents, long storedTraces) {
        StringBuilder b = new StringBuilder(4096);
        header(b, "raceway_http_requests_total", "counter", "HTTP requests answered, by route, method and status.");
        new TreeMap<>(requests).forEach((k, v) -> {
            String[] p = k.split("\u0000");
            b.append("raceway_http_requests_total{route=\"").append(esc(p[0])).append("\",method=\"").append(p[1])
                    .append("\",status=\"").append(p[2]).append("\"} ").append(v.sum()).append('\n');
        });
        header(b, "raceway_http_request_duration_seconds", "histogram", "HTTP request latency by route.");
        new TreeMap<>(latency).forEach((route, h) -> h.render(b, "raceway_http_request_duration_seconds",
                "route=\"" + esc(route) + "\""));

        IngestMetrics m = ingest.get();
        counter(b, "raceway_events_received_total", "Events received in POST /events bodies.", eventsReceived.sum());
        counter(b, "raceway_events_invalid_total", "Events rejected at decoding as invalid.", eventsInvalid.sum());
        counter(b, "raceway_events_accepted_total", "Events accepted into the ingest buffer.", m.accepted());
        counter(b, "raceway_events_refused_total", "Events refused by the ingest buffer (full, too large, closing).",
                m.refused());
        counter(b, "raceway_events_written_total", "Events written to storage (including duplicates by id).",
                m.written());
        counter(b, "raceway_events_inserted_total", "Events new to storage.", m.inserted());
        counter(b, "raceway_events_conflicting_total",
                "Duplicates by id whose content differed from the stored event (the stored one was kept).",
                m.conflicting());
        counter(b, "raceway_events_failed_total", "Accepted events that could not be stored.", m.failed());
        counter(b, "raceway_storage_write_retries_total", "Failed batch writes that were retried.", m.retries());
        counter(b, "raceway_storage_batches_total", "Successful batch writes.", m.batches());
        counter(b, "raceway_storage_errors_total", "Storage errors: failed reads plus retried writes.",
                storageErrors.sum() + m.retries());
        counter(b, "raceway_durable_ack_timeouts_total", "POST /events answered 503 while waiting for the commit.",
                durableAckTimeouts.sum());
        gauge(b, "raceway_http_connections_open", "Open client connections.", connectionsOpen.sum());
        counter(b, "raceway_http_connections_refused_total", "Connections closed on accept: server.max_connections.",
                connectionsRefused.sum());
        counter(b, "raceway_http_header_timeouts_total",
                "Connections closed because a request head took longer than server.header_timeout_seconds.",
                headerTimeouts.sum());
        counter(b, "raceway_auth_failures_total", "Requests refused for a missing or invalid API key.",
                authFailures.sum());
        counter(b, "raceway_tls_handshake_failures_total", "TLS handshakes that failed.",
                tlsHandshakeFailures.sum());
        counter(b, "raceway_handler_errors_total", "Requests whose handler failed with a JVM error (answered 5xx).",
                handlerErrors.sum());
        FastPathCounters fast = EventJson.fastPathCounters();
        header(b, "raceway_decode_fast_path_declines_total", "counter",
                "POST /events bodies the fast decoder left to the general decoder (a second decode), by reason.");
        for (FastPathCounters.Reason r : FastPathCounters.Reason.values()) {
            b.append("raceway_decode_fast_path_declines_total{reason=\"").append(r.label()).append("\"} ")
                    .append(fast.declines(r)).append('\n');
        }
        counter(b, "raceway_decode_fast_path_defects_total",
                "Bodies on which the fast decoder failed unexpectedly (a bug; the general decoder decoded them).",
                fast.defects());
        gauge(b, "raceway_ingest_queue_depth", "Events buffered, not yet stored.", m.queueDepth());
        gauge(b, "raceway_ingest_queue_capacity", "Configured ingest buffer size.", m.bufferCapacity());
        gauge(b, "raceway_storage_available", "1 unless the last store write failed and is being retried.",
                m.storeAvailable() ? 1 : 0);
        gauge(b, "raceway_storage_batch_last_seconds", "Duration of the last batch write.", m.lastBatchMillis() / 1e3);
        gauge(b, "raceway_storage_batch_max_seconds", "Longest batch write.", m.maxBatchMillis() / 1e3);
        gauge(b, "raceway_stored_events", "Events in storage.", storedEvents);
        gauge(b, "raceway_stored_traces", "Traces in storage.", storedTraces);
        gauge(b, "raceway_uptime_seconds", "Seconds since the server started.", uptimeSeconds);
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        header(b, name, "counter", help);
        b.append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, double v) {
        header(b, name, "gauge", help);
        b.append(name).append(' ').append(num(v)).append('\n');
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void record(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }

        void render(StringBuilder b, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                b.append(name).append("_bucket{").append(labels).append(",le=\"").append(num(BUCKETS[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            b.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count.sum()).append('\n');
            b.append(name).append("_sum{").append(labels).append("} ").append(num(sum.sum())).append('\n');
            b.append(name).append("_count{").append(labels).append("} ").append(count.sum()).append('\n');
        }
    }

}

package dev.raceway.core.event;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where and how long an event happened. {@code threadId} is the logical thread (SDKs use per-request or per-task
 * ids); {@code durationNs} is the only duration the analyses use. The three distributed fields are omitted from
 * JSON output when empty.
 */
public record EventMetadata(
        String threadId,
        long processId,
        String serviceName,
        String environment,
        Map<String, String> tags,
        OptionalLong durationNs,
        Optional<String> instanceId,
        Optional<String> distributedSpanId,
        Optional<String> upstreamSpanId) {

    public EventMetadata {
        Objects.requireNonNull(threadId, "threadId");
        if (processId < 0 || processId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("processId must fit in u32, got " + processId);
        }
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(environment, "environment");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(durationNs, "durationNs");
        if (durationNs.isPresent() && durationNs.getAsLong() < 0) {
            throw new IllegalArgumentException("durationNs must be non-negative");
        }
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(distributedSpanId, "distributedSpanId");
        Objects.requireNonNull(upstreamSpanId, "upstreamSpanId");
    }

    /** Minimal metadata: no tags, no duration, no distributed fields. */
    public static EventMetadata of(String threadId, long processId, String serviceName, String environment) {
        return new EventMetadata(threadId, processId, serviceName, environment, Map.of(), OptionalLong.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public EventMetadata withDurationNs(long ns) {
        return new EventMetadata(threadId, processId, serviceName, environment, tags, OptionalLong.of(ns),
                instanceId, distributedSpanId, upstreamSpanId);
    }

    public EventMetadata withTags(Map<String, String> newTags) {
        return new EventMetadata(threadId, processId, serviceName, environment, newTags, durationNs,
                instanceId, distributedSpanId, upstreamSpanId);
    }

    public EventMetadata withDistributed(Optional<String> instance, Optional<String> span, Optional<String> upstream) {
        return new EventMetadata(threadId, processId, serviceName, environment, tags, durationNs,
                instance, span, upstream);
    }

    /** Duration in milliseconds as the analyses use it: {@code duration_ns / 1e6}, 0 when absent. */
    public double durationMs() {
        return durationNs.isPresent() ? durationNs.getAsLong() / 1_000_000.0 : 0.0;
    }
}

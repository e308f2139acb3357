package dev.raceway.benchmarks.sdk;

import dev.raceway.sdk.RacewayClient;
import dev.raceway.sdk.RacewayStats;
import java.time.Duration;

/** What the SDK benchmarks do between calls so that no measured call takes the drop path, and the check after. */
final class QueueGuard {
    private QueueGuard() {
    }

    /** Flushes (unmeasured, between invocations) once half of the client's queue is in use. */
    static void drainWhenHalfFull(RacewayClient client, int queueCapacity) {
        RacewayStats s = client.stats();
        if (s.queued() - s.sent() - s.failed() > queueCapacity / 2 && !client.flush(Duration.ofSeconds(60))) {
            throw new IllegalStateException("flush timed out");
        }
    }

    /** Fails the run when an event was dropped or failed: the calls measured would not all have been the same. */
    static void requireNothingLost(RacewayClient client) {
        long lost = client.stats().dropped() + client.stats().failed();
        if (lost > 0) {
            throw new IllegalStateException(lost + " events were dropped or failed: the measurement is invalid");
        }
    }
}

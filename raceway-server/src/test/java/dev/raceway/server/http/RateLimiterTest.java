package dev.raceway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void burstIsRpmAndTokensComeBackAtRpmPerMinute() {
        RateLimiter l = new RateLimiter(60, 100, now::get);
        for (int i = 0; i < 60; i++) {
            assertThat(l.acquire("a").allowed()).isTrue();
        }
        RateLimiter.Decision refused = l.acquire("a");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        now.addAndGet(1_000_000_000L);
        assertThat(l.acquire("a").allowed()).isTrue();
        assertThat(l.acquire("a").allowed()).isFalse();
    }

    @Test
    void retryAfterReflectsTheRefillRate() {
        RateLimiter l = new RateLimiter(1, 100, now::get);
        assertThat(l.acquire("a").allowed()).isTrue();
        assertThat(l.acquire("a").retryAfterSeconds()).isEqualTo(60);
    }

    @Test
    void stateStaysBoundedUnderAFloodOfClients() {
        RateLimiter l = new RateLimiter(10, 1000, now::get);
        for (int i = 0; i < 50_000; i++) {
            l.acquire("client-" + i);
        }
        assertThat(l.trackedClients()).isLessThanOrEqualTo(1000);
    }

    @Test
    void idleBucketsAreEvictedFirst() {
        RateLimiter l = new RateLimiter(10, 3, now::get);
        l.acquire("old");
        now.addAndGet(120_000_000_000L);
        l.acquire("b");
        l.acquire("c");
        l.acquire("d");
        assertThat(l.trackedClients()).isLessThanOrEqualTo(3);
    }
}

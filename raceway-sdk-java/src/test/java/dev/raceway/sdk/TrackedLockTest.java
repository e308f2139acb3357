package dev.raceway.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.raceway.core.event.Event;
import dev.raceway.core.event.EventKind;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackedLockTest {
    private RecordingSink sink;
    private RacewayClient client;

    @BeforeEach
    void start() throws Exception {
        sink = new RecordingSink();
        client = RacewayClient.builder(sink.endpoint(), "svc").flushInterval(Duration.ofMillis(50)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        sink.close();
    }

    /** A lock that notes the context's latest event at the moment the real lock is taken and released. */
    private static final class Witness implements Lock {
        final ReentrantLock real = new ReentrantLock();
        final List<Optional<UUID>> atLock = new ArrayList<>();
        final List<Optional<UUID>> atUnlock = new ArrayList<>();

        private Optional<UUID> latest() {
            return RacewayContext.current().flatMap(RacewayContext::lastEventId);
        }

        @Override
        public void lock() {
            atLock.add(latest());
            real.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            atLock.add(latest());
            real.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return real.tryLock();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return real.tryLock(time, unit);
        }

        @Override
        public void unlock() {
            atUnlock.add(latest());
            real.unlock();
        }

        @Override
        public Condition newCondition() {
            return real.newCondition();
        }
    }

    @Test
    void acquireIsReportedAfterTheLockIsObtainedAndReleaseBeforeItIsReleased() throws Exception {
        Witness witness = new Witness();
        TrackedLock lock = new TrackedLock(witness, client, "account-lock");
        try (Scope ignored = client.newTrace().makeCurrent()) {
            lock.lock();
            try {
                assertThat(witness.real.isHeldByCurrentThread()).isTrue();
            } finally {
                lock.unlock();
            }
        }
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        List<Event> events = sink.awaitAccepted(2, 10);
        EventKind.LockAcquire acquire = (EventKind.LockAcquire) events.get(0).kind();
        EventKind.LockRelease release = (EventKind.LockRelease) events.get(1).kind();
        assertThat(acquire.lockId()).isEqualTo("account-lock");
        assertThat(acquire.lockType()).isEqualTo("Mutex");
        assertThat(release.lockType()).isEqualTo("Mutex");
        assertThat(acquire.location()).startsWith("dev/raceway/sdk/TrackedLockTest.java:");
        // When the real lock was taken, no acquire event existed yet; when it was released, the release event did.
        assertThat(witness.atLock).containsExactly(Optional.empty());
        assertThat(witness.atUnlock).containsExactly(Optional.of(events.get(1).id()));
    }

    @Test
    void aFailedTryLockReportsNothing() throws Exception {
        ReentrantLock real = new ReentrantLock();
        TrackedLock lock = new TrackedLock(real, client, "l");
        Thread holder = new Thread(real::lock);
        holder.start();
        holder.join();
        try (Scope ignored = client.newTrace().makeCurrent()) {
            assertThat(lock.tryLock()).isFalse();
            assertThat(lock.tryLock(1, TimeUnit.MILLISECONDS)).isFalse();
        }
        assertThat(client.stats().queued()).isZero();
    }

    @Test
    void readWriteLocksReportTheirModes() throws Exception {
        TrackedReadWriteLock rw = new TrackedReadWriteLock(new ReentrantReadWriteLock(), client, "cache");
        try (Scope ignored = client.newTrace().makeCurrent()) {
            rw.readLock().lock();
            rw.readLock().unlock();
            rw.writeLock().lock();
            rw.writeLock().unlock();
        }
        assertThat(client.flush(Duration.ofSeconds(10))).isTrue();
        List<Event> events = sink.awaitAccepted(4, 10);
        assertThat(events).extracting(e -> e.kind() instanceof EventKind.LockAcquire a ? "acquire:" + a.lockType()
                        : "release:" + ((EventKind.LockRelease) e.kind()).lockType())
                .containsExactly("acquire:RwLock-Read", "release:RwLock-Read", "acquire:RwLock-Write",
                        "release:RwLock-Write");
    }

    @Test
    void anUnlockWithoutHoldingTheLockFailsAsUsualAndReportsNoRelease() {
        TrackedLock lock = new TrackedLock(client, "l");
        try (Scope ignored = client.newTrace().makeCurrent()) {
            assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        }
        assertThat(client.stats().queued()).isZero();
    }

    @Test
    void withLockRunsTheBodyHoldingTheLock() {
        TrackedLock lock = new TrackedLock(client, "l");
        assertThat(lock.withLock(() -> 5)).isEqualTo(5);
        assertThat(lock.tryLock()).isTrue();
        lock.unlock();
    }
}

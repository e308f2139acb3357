package dev.raceway.sdk;

import dev.raceway.core.event.LockTypes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link Lock} that reports itself: LockAcquire (type {@code Mutex}) after the lock is obtained, LockRelease
 * before it is released, so the server sees exactly the interval in which the lock was held. A failed
 * {@code tryLock} reports nothing. Waiting on a {@link #newCondition() condition} releases and re-obtains the lock
 * without reporting it.
 */
public final class TrackedLock implements Lock {
    private final Lock delegate;
    private final RacewayClient client;
    private final String lockId;

    public TrackedLock(Lock delegate, RacewayClient client, String lockId) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.client = Objects.requireNonNull(client, "client");
        this.lockId = Objects.requireNonNull(lockId, "lockId");
    }

    /** A tracked {@link ReentrantLock}. */
    public TrackedLock(RacewayClient client, String lockId) {
        this(new ReentrantLock(), client, lockId);
    }

    public String lockId() {
        return lockId;
    }

    @Override
    public void lock() {
        delegate.lock();
        client.trackLockAcquire(lockId, LockTypes.MUTEX);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        delegate.lockInterruptibly();
        client.trackLockAcquire(lockId, LockTypes.MUTEX);
    }

    @Override
    public boolean tryLock() {
        boolean got = delegate.tryLock();
        if (got) {
            client.trackLockAcquire(lockId, LockTypes.MUTEX);
        }
        return got;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        boolean got = delegate.tryLock(time, unit);
        if (got) {
            client.trackLockAcquire(lockId, LockTypes.MUTEX);
        }
        return got;
    }

    @Override
    public void unlock() {
        // An unlock by a thread that does not hold the lock fails below; it must not be reported as a release.
        if (!(delegate instanceof ReentrantLock r) || r.isHeldByCurrentThread()) {
            client.trackLockRelease(lockId, LockTypes.MUTEX);
        }
        delegate.unlock();
    }

    @Override
    public Condition newCondition() {
        return delegate.newCondition();
    }

    /** Runs {@code body} holding the lock. */
    public <T> T withLock(Supplier<T> body) {
        lock();
        try {
            return body.get();
        } finally {
            unlock();
        }
    }

    /** Runs {@code body} holding the lock. */
    public void withLock(Runnable body) {
        lock();
        try {
            body.run();
        } finally {
            unlock();
        }
    }
}

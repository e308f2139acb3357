package dev.raceway.sdk;

import dev.raceway.core.event.LockTypes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link ReadWriteLock} whose read and write locks report themselves with lock types {@code RwLock-Read} and
 * {@code RwLock-Write} (acquire after obtaining, release before releasing), under one lock id.
 */
public final class TrackedReadWriteLock implements ReadWriteLock {
    private final Lock readLock;
    private final Lock writeLock;
    private final String lockId;

    public TrackedReadWriteLock(ReadWriteLock delegate, RacewayClient client, String lockId) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(client, "client");
        this.lockId = Objects.requireNonNull(lockId, "lockId");
        this.readLock = new Side(delegate.readLock(), client, lockId, LockTypes.RW_READ);
        this.writeLock = new Side(delegate.writeLock(), client, lockId, LockTypes.RW_WRITE);
    }

    /** A tracked {@link ReentrantReadWriteLock}. */
    public TrackedReadWriteLock(RacewayClient client, String lockId) {
        this(new ReentrantReadWriteLock(), client, lockId);
    }

    public String lockId() {
        return lockId;
    }

    @Override
    public Lock readLock() {
        return readLock;
    }

    @Override
    public Lock writeLock() {
        return writeLock;
    }

    private static final class Side implements Lock {
        private final Lock delegate;
        private final RacewayClient client;
        private final String lockId;
        private final String lockType;

        Side(Lock delegate, RacewayClient client, String lockId, String lockType) {
            this.delegate = delegate;
            this.client = client;
            this.lockId = lockId;
            this.lockType = lockType;
        }

        @Override
        public void lock() {
            delegate.lock();
            client.trackLockAcquire(lockId, lockType);
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            delegate.lockInterruptibly();
            client.trackLockAcquire(lockId, lockType);
        }

        @Override
        public boolean tryLock() {
            boolean got = delegate.tryLock();
            if (got) {
                client.trackLockAcquire(lockId, lockType);
            }
            return got;
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            boolean got = delegate.tryLock(time, unit);
            if (got) {
                client.trackLockAcquire(lockId, lockType);
            }
            return got;
        }

        @Override
        public void unlock() {
            client.trackLockRelease(lockId, lockType);
            delegate.unlock();
        }

        @Override
        public Condition newCondition() {
            return delegate.newCondition();
        }
    }
}

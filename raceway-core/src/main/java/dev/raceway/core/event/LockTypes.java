package dev.raceway.core.event;

/**
 * Conventional {@code lock_type} strings. The field is free text on the wire; these are the spellings our SDK
 * emits and the analyses understand (the Go SDK's {@code RWLock-*} and {@code RwLock::*} spellings are read as
 * the same modes).
 */
public final class LockTypes {
    public static final String MUTEX = "Mutex";
    public static final String RW_READ = "RwLock-Read";
    public static final String RW_WRITE = "RwLock-Write";

    private LockTypes() {
    }

    /** True when the lock type names a shared (read) mode, which does not exclude other readers. */
    public static boolean isShared(String lockType) {
        String t = lockType.toLowerCase(java.util.Locale.ROOT);
        return t.equals("rwlock-read") || t.equals("rwlock::read") || t.equals("read") || t.equals("shared");
    }
}

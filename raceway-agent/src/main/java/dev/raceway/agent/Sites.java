package dev.raceway.agent;

import dev.raceway.agent.bootstrap.Bridge;
import dev.raceway.agent.bootstrap.FieldState;
import dev.raceway.core.event.AccessType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every instrumented instruction gets a site id at transform time; instrumented code passes it to the
 * {@link Bridge}, and the recorder looks up here what the site is. Ids are dense, so the lookup is an array read.
 */
final class Sites {
    /**
     * What one site is: {@code owner} is the simple name of the field's class (fields) or of the atomic's class,
     * {@code member} the field's name.
     */
    record Site(Kind kind, String owner, String member, String location, boolean isStatic, boolean isVolatile, char type,
                AccessType access, RateCap cap) {
    }

    enum Kind { FIELD_READ, FIELD_WRITE, ARRAY_READ, ARRAY_WRITE, MONITOR, ATOMIC, VAR_HANDLE }

    /** Per-site events per second; racy counters are fine (a few more or fewer). */
    static final class RateCap {
        private final int perSecond;
        private long second;
        private int used;

        RateCap(int perSecond) {
            this.perSecond = perSecond;
        }

        boolean take() {
            long now = System.nanoTime() / 1_000_000_000L;
            if (now != second) {
                second = now;
                used = 0;
            }
            return used++ < perSecond;
        }
    }

    private final AtomicInteger next = new AtomicInteger();
    private volatile Site[] sites = new Site[1024];
    private final ConcurrentHashMap<String, FieldState> fieldStates = new ConcurrentHashMap<>();
    private final int siteLimit;

    Sites(int siteLimit) {
        this.siteLimit = siteLimit;
    }

    Site get(int id) {
        return sites[id];
    }

    int count() {
        return next.get();
    }

    /** A field access; all sites of one field share the field's ownership state. */
    int field(boolean write, String declaringClass, String field, String location, boolean isStatic,
              boolean isVolatile, char type) {
        String simple = simpleName(declaringClass);
        AccessType access = isVolatile ? (write ? AccessType.AtomicWrite : AccessType.AtomicRead)
                : (write ? AccessType.Write : AccessType.Read);
        int id = add(new Site(write ? Kind.FIELD_WRITE : Kind.FIELD_READ, simple, field, location, isStatic,
                isVolatile, type, access, new RateCap(siteLimit)));
        Bridge.register(id, fieldStates.computeIfAbsent(declaringClass + "." + field,
                k -> new FieldState(isVolatile)));
        return id;
    }

    /** An array element access; ownership is tracked per site (arrays have no declaration to share it). */
    int array(boolean write, String location) {
        int id = add(new Site(write ? Kind.ARRAY_WRITE : Kind.ARRAY_READ, "", "", location, false, false, 'L',
                write ? AccessType.Write : AccessType.Read, new RateCap(siteLimit)));
        Bridge.register(id, new FieldState(false));
        return id;
    }

    int monitor(String location) {
        return add(new Site(Kind.MONITOR, "", "", location, false, false, 'L', AccessType.Read, null));
    }

    int atomic(String atomicClass, AccessType access, String location) {
        return add(new Site(Kind.ATOMIC, simpleName(atomicClass), "", location, false, true, 'L', access,
                new RateCap(siteLimit)));
    }

    /**
     * A VarHandle operation on a field of {@code holderClass}, through the handle named {@code handle};
     * {@code ordered}: its accesses are synchronisation (volatile, acquire/release, read-modify-writes).
     */
    int varHandle(String holderClass, String handle, String location, AccessType access, boolean ordered) {
        return add(new Site(Kind.VAR_HANDLE, simpleName(holderClass), handle, location, false, ordered, 'L', access,
                new RateCap(siteLimit)));
    }

    private synchronized int add(Site site) {
        int id = next.getAndIncrement();
        Site[] now = sites;
        if (id >= now.length) {
            Site[] bigger = new Site[now.length * 2];
            System.arraycopy(now, 0, bigger, 0, now.length);
            now = bigger;
        }
        now[id] = site;
        sites = now;
        return id;
    }

    static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }
}

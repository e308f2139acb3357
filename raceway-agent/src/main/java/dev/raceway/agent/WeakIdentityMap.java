package dev.raceway.agent;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A concurrent map keyed by object identity that does not keep its keys alive: the agent's notes about application
 * objects (ids, forked contexts, release clocks) disappear with the objects.
 */
final class WeakIdentityMap<K, V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<K> queue = new ReferenceQueue<>();

    private static final class WeakKey<K> extends WeakReference<K> {
        private final int hash;

        WeakKey(K key, ReferenceQueue<K> queue) {
            super(key, queue);
            this.hash = System.identityHashCode(key);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Object mine = get();
            if (mine == null) {
                return false;
            }
            if (o instanceof WeakKey<?> w) {
                return mine == w.get();
            }
            return o instanceof Lookup l && mine == l.key;
        }
    }

    /** A short-lived strong key for lookups (never stored). */
    private record Lookup(Object key, int hash) {
        Lookup(Object key) {
            this(key, System.identityHashCode(key));
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WeakKey<?> w && w.get() == key || o instanceof Lookup l && l.key == key;
        }
    }

    V get(K key) {
        return map.get(new Lookup(key));
    }

    boolean containsKey(K key) {
        return map.containsKey(new Lookup(key));
    }

    void put(K key, V value) {
        expunge();
        map.put(new WeakKey<>(key, queue), value);
    }

    V remove(K key) {
        return map.remove(new Lookup(key));
    }

    V computeIfAbsent(K key, Function<K, V> make) {
        V v = map.get(new Lookup(key));
        if (v != null) {
            return v;
        }
        expunge();
        return map.computeIfAbsent(new WeakKey<>(key, queue), k -> make.apply(key));
    }

    V merge(K key, V value, BiFunction<V, V, V> combine) {
        V old = map.get(new Lookup(key));
        if (old == null) {
            expunge();
            return map.merge(new WeakKey<>(key, queue), value, combine);
        }
        return map.merge(new Lookup(key), value, combine);
    }

    int size() {
        return map.size();
    }

    private void expunge() {
        Object ref;
        while ((ref = queue.poll()) != null) {
            map.remove(ref);
        }
    }
}

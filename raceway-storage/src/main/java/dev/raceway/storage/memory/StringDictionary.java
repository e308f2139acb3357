package dev.raceway.storage.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers the repeated strings of stored events (service names, thread ids, function names, locations, tag keys, …)
 * so that each is kept once. Bounded: once {@code capacity} strings or {@code maxChars} characters are known, new
 * ones are not added (the codec then stores them inline), so high-cardinality values cannot grow it without limit. Entries are never removed:
 * after eviction a string may outlive the events that used it, within the bound.
 *
 * <p>Not thread-safe; the store guards it with its lock (writes under the write lock, reads under the read lock).
 */
final class StringDictionary {
    static final int MAX_LENGTH = 256;

    private final int capacity;
    private final long maxChars;
    private long chars;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    /**
     * The last instances looked up, by hash slot. Decoded batches share one String instance per distinct value, so
     * most lookups are found here by identity, without a hash-map probe and {@code equals}.
     */
    private final String[] recent = new String[RECENT];
    private final int[] recentIds = new int[RECENT];
    private static final int RECENT = 1024; // a power of two

    StringDictionary(int capacity, long maxChars) {
        this.capacity = capacity;
        this.maxChars = maxChars;
    }

    /** The id of {@code s}, adding it when there is room; -1 when it must be stored inline. */
    int idOf(String s) {
        int h = s.hashCode();
        int slot = (h ^ (h >>> 10)) & (RECENT - 1);
        if (recent[slot] == s) {
            return recentIds[slot];
        }
        Integer known = ids.get(s);
        int id;
        if (known != null) {
            id = known;
        } else if (strings.size() >= capacity || s.length() > MAX_LENGTH || chars + s.length() > maxChars) {
            return -1;
        } else {
            chars += s.length();
            id = strings.size();
            strings.add(s);
            ids.put(s, id);
        }
        recent[slot] = s;
        recentIds[slot] = id;
        return id;
    }

    String get(int id) {
        return strings.get(id);
    }

    int size() {
        return strings.size();
    }

    void clear() {
        ids.clear();
        strings.clear();
        chars = 0;
        java.util.Arrays.fill(recent, null);
    }
}

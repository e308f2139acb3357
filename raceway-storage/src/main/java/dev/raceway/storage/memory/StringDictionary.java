package dev.raceway.storage.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers the repeated strings of stored events (service names, thread ids, function names, locations, tag keys, …)
 * so that each is kept once. Bounded: once {@code capacity} strings are known, new ones are not added (the codec
 * then stores them inline), so high-cardinality values cannot grow it without limit. Entries are never removed:
 * after eviction a string may outlive the events that used it, within the bound.
 *
 * <p>Not thread-safe; the store guards it with its lock (writes under the write lock, reads under the read lock).
 */
final class StringDictionary {
    static final int MAX_LENGTH = 256;

    private final int capacity;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> strings = new ArrayList<>();

    StringDictionary(int capacity) {
        this.capacity = capacity;
    }

    /** The id of {@code s}, adding it when there is room; -1 when it must be stored inline. */
    int idOf(String s) {
        Integer id = ids.get(s);
        if (id != null) {
            return id;
        }
        if (strings.size() >= capacity || s.length() > MAX_LENGTH) {
            return -1;
        }
        int next = strings.size();
        strings.add(s);
        ids.put(s, next);
        return next;
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
    }
}

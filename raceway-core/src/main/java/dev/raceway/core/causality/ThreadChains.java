package dev.raceway.core.causality;

import dev.raceway.core.event.Event;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The second phase of {@link CausalityIndex}: program order. Each event is put on its thread — a {@code thread_id}
 * within one trace and one process (service and instance), since the same thread id in two traces, or in two
 * processes of one trace, is two threads — and linked to the previous and next event of that thread in canonical
 * order. Threads are numbered densely in order of their first event.
 */
final class ThreadChains {
    /** Per event: its thread's number. */
    final int[] thread;
    /** Per event: the previous event of its thread, or -1. */
    final int[] previous;
    /** Per event: the next event of its thread, or -1. */
    final int[] next;

    private ThreadChains(int[] thread, int[] previous, int[] next) {
        this.thread = thread;
        this.previous = previous;
        this.next = next;
    }

    /** True when a later event of the same thread follows event {@code i}. */
    boolean hasSuccessor(int i) {
        return next[i] >= 0;
    }

    static ThreadChains of(Event[] events) {
        int n = events.length;
        int[] thread = new int[n];
        int[] previous = new int[n];
        int[] next = new int[n];
        Arrays.fill(next, -1);
        Map<UUID, Map<String, Integer>> ids = new HashMap<>();
        UUID lastTrace = null;
        Map<String, Integer> lastMap = null;
        int count = 0;
        IntList last = new IntList();
        IntList chainFirst = new IntList();
        for (int i = 0; i < n; i++) {
            UUID trace = events[i].traceId();
            if (!trace.equals(lastTrace)) {
                lastTrace = trace;
                lastMap = ids.computeIfAbsent(trace, k -> new HashMap<>());
            }
            var md = events[i].metadata();
            Integer c = lastMap.get(md.threadId());
            if (c != null && !sameProcess(events[i], events[chainFirst.get(c)])) {
                // the same thread id in another service or instance of the trace (Rust's "ThreadId(7)" names an
                // OS thread of its own process) is another thread
                String qualified = md.serviceName() + '\u0000' + md.instanceId().orElse("") + '\u0000' + md.threadId();
                c = lastMap.get(qualified);
                if (c == null) {
                    c = count++;
                    lastMap.put(qualified, c);
                    last.add(-1);
                    chainFirst.add(i);
                }
            }
            if (c == null) {
                c = count++;
                lastMap.put(md.threadId(), c);
                last.add(-1);
                chainFirst.add(i);
            }
            thread[i] = c;
            int prev = last.get(c);
            previous[i] = prev;
            if (prev >= 0) {
                next[prev] = i;
            }
            last.data()[c] = i;
        }
        return new ThreadChains(thread, previous, next);
    }

    /** Same service and instance: one process, so one thread id names one thread. */
    private static boolean sameProcess(Event a, Event b) {
        var x = a.metadata();
        var y = b.metadata();
        return x.serviceName().equals(y.serviceName()) && x.instanceId().equals(y.instanceId());
    }
}

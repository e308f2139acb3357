package dev.raceway.benchmarks.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * CPU seconds spent during a run, per group of threads (named by a grouping of thread names) plus what no listed
 * thread accounts for (GC, JIT, threads that ended). On a shared two-core machine the wall-clock rate moves with the
 * neighbours; CPU per event shows where the work goes.
 */
public record CpuBreakdown(Map<String, Long> nanosByGroup, long jitMillis) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Per-thread CPU times, the process CPU time and the JIT's compilation time at one instant. */
    public record Snapshot(Map<Long, Long> byThread, Map<Long, String> names, long process, long jitMillis) {
    }

    public static Snapshot snapshot() {
        Map<Long, Long> byThread = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long t = THREADS.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    byThread.put(info.getThreadId(), t);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        return new Snapshot(byThread, names, OS.getProcessCpuTime(),
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    /** @param group the group of a thread, by its name */
    public static CpuBreakdown since(Snapshot before, Function<String, String> group) {
        Snapshot now = snapshot();
        Map<String, Long> groups = new LinkedHashMap<>();
        long javaThreads = 0;
        for (Map.Entry<Long, Long> e : now.byThread.entrySet()) {
            long spent = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
            groups.merge(group.apply(now.names.get(e.getKey())), spent, Long::sum);
            javaThreads += spent;
        }
        // GC and compiler threads are hidden from the thread list; the compilation bean reports the compilers' time
        // separately (as elapsed time, so it is printed beside the CPU figures, not subtracted from them).
        groups.merge("gc+jit+exited", Math.max(0, now.process - before.process - javaThreads), Long::sum);
        return new CpuBreakdown(groups, now.jitMillis - before.jitMillis);
    }

    /** "total 9.1 µs = decode workers 4.0 + ..." in microseconds per event, largest group first. */
    public String perEvent(long events) {
        long total = nanosByGroup.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%.1f µs = ", total / 1e3 / events) + nanosByGroup.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1e3 / events))
                .collect(Collectors.joining(" + ")) + String.format(Locale.ROOT, "  (JIT busy %d ms)", jitMillis);
    }
}

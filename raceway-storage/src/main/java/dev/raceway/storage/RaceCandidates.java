package dev.raceway.storage;

import dev.raceway.core.causality.TraceGroups;
import dev.raceway.core.event.AccessType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The traces that might take part in a race, decided from the variable index alone ({@link AccessFootprint}s and
 * {@link TraceLink}s), without loading any event. Every trace that the global race analysis finds racing is among
 * them; the others certainly are not, so an exact answer needs the analysis of the candidates only. The rules are the
 * analysis' necessary conditions, with locks and happens-before left out:
 *
 * <ul>
 *   <li>a trace linked to another one by a span edge is always a candidate (its accesses are ordered by causality
 *       across both, which footprints do not show), and its window is its linked group's;
 *   <li>inside a trace, two accesses can race only from two different threads (one thread's accesses are in program
 *       order) and with conflicting access types: at least one write, not both atomic;
 *   <li>across traces (linked groups), two accesses can race only with conflicting access types and when the windows
 *       overlap allowing for the clock skew (the analysis compares one instance's windows exactly, which only ever
 *       orders more).
 * </ul>
 *
 * Footprints and links are symmetric, so a trace racing with another makes both candidates, and the analysis of the
 * candidates sees every partner a candidate has.
 */
public final class RaceCandidates {
    /** Access classes: a read, an atomic read, a write, an atomic write (or read-modify-write). */
    private static final int READ = 0;
    private static final int ATOMIC_READ = 1;
    private static final int WRITE = 2;
    private static final int ATOMIC_WRITE = 3;
    private static final int CLASSES = 4;

    private RaceCandidates() {
    }

    public static Set<UUID> of(List<AccessFootprint> footprints, List<TraceLink> links, Duration clockSkew) {
        Objects.requireNonNull(footprints, "footprints");
        Objects.requireNonNull(links, "links");
        long skew = clockSkew.compareTo(Duration.ofNanos(LIMIT)) > 0 ? LIMIT : clockSkew.toNanos();
        Set<UUID> candidates = new HashSet<>();
        Map<UUID, long[]> windows = new HashMap<>(); // trace → {start, end} in nanoseconds
        for (AccessFootprint f : footprints) {
            windows.putIfAbsent(f.traceId(), new long[] {nanos(f.start()), nanos(f.end())});
        }
        Map<UUID, UUID> group = groups(windows.keySet(), links);
        Map<UUID, long[]> groupWindow = new HashMap<>();
        Map<UUID, Integer> groupSize = new HashMap<>();
        windows.forEach((trace, w) -> {
            UUID g = group.get(trace);
            groupSize.merge(g, 1, Integer::sum);
            groupWindow.merge(g, w.clone(), (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        });
        group.forEach((trace, g) -> {
            if (groupSize.get(g) > 1) {
                candidates.add(trace);
            }
        });

        Map<String, Map<UUID, Integer>> byVariable = new LinkedHashMap<>(); // variable → group → class bits
        for (AccessFootprint f : footprints) {
            int bits = classBits(f.accessTypes());
            if (f.threads() > 1 && conflicting(bits, bits)) {
                candidates.add(f.traceId());
            }
            byVariable.computeIfAbsent(f.variable(), v -> new HashMap<>())
                    .merge(group.get(f.traceId()), bits, (a, b) -> a | b);
        }
        Map<UUID, List<UUID>> members = new HashMap<>();
        group.forEach((trace, g) -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(trace));
        for (Map<UUID, Integer> entries : byVariable.values()) {
            if (entries.size() < 2) {
                continue;
            }
            Windows[] byClass = new Windows[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                byClass[c] = new Windows();
            }
            entries.forEach((g, bits) -> {
                for (int c = 0; c < CLASSES; c++) {
                    if ((bits & (1 << c)) != 0) {
                        byClass[c].add(groupWindow.get(g));
                    }
                }
            });
            for (Windows w : byClass) {
                w.seal();
            }
            entries.forEach((g, bits) -> {
                if (!candidates.contains(g) && racesAcross(bits, groupWindow.get(g), byClass, skew)) {
                    candidates.addAll(members.get(g));
                }
            });
        }
        return candidates;
    }

    /**
     * Whether an access of a group (its access classes {@code bits}, its {@code window}) may race with one of another
     * group on the same variable.
     */
    private static boolean racesAcross(int bits, long[] window, Windows[] byClass, long skew) {
        for (int a = 0; a < CLASSES; a++) {
            if ((bits & (1 << a)) == 0) {
                continue;
            }
            for (int b = 0; b < CLASSES; b++) {
                if (!conflict(a, b)) {
                    continue;
                }
                long overlapping = byClass[b].overlapping(window, skew) - ((bits & (1 << b)) != 0 ? 1 : 0);
                if (overlapping > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The links' groups of the traces that have footprints: trace → its group's representative. */
    private static Map<UUID, UUID> groups(Set<UUID> traces, List<TraceLink> links) {
        TraceGroups linked = new TraceGroups();
        traces.forEach(linked::add);
        for (TraceLink l : links) {
            if (linked.contains(l.upstream()) && linked.contains(l.downstream())) {
                linked.join(l.upstream(), l.downstream());
            }
        }
        Map<UUID, UUID> out = new HashMap<>();
        for (UUID t : traces) {
            out.put(t, linked.representative(t));
        }
        return out;
    }

    private static int classBits(Set<AccessType> types) {
        int bits = 0;
        for (AccessType t : types) {
            bits |= 1 << switch (t) {
                case Read -> READ;
                case AtomicRead -> ATOMIC_READ;
                case Write -> WRITE;
                case AtomicWrite, AtomicRMW -> ATOMIC_WRITE;
            };
        }
        return bits;
    }

    /** The race rule on access classes: at least one write, and not both atomic. */
    private static boolean conflict(int a, int b) {
        boolean atomicA = a == ATOMIC_READ || a == ATOMIC_WRITE;
        boolean atomicB = b == ATOMIC_READ || b == ATOMIC_WRITE;
        return (a >= WRITE || b >= WRITE) && !(atomicA && atomicB);
    }

    private static boolean conflicting(int bitsA, int bitsB) {
        for (int a = 0; a < CLASSES; a++) {
            for (int b = 0; b < CLASSES; b++) {
                if ((bitsA & (1 << a)) != 0 && (bitsB & (1 << b)) != 0 && conflict(a, b)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A quarter of the {@code long} range: clamped to it, nanoseconds plus or minus a skew cannot wrap. */
    private static final long LIMIT = Long.MAX_VALUE / 4;
    private static final Instant EARLIEST = Instant.ofEpochSecond(-LIMIT / 1_000_000_000L);
    private static final Instant LATEST = Instant.ofEpochSecond(LIMIT / 1_000_000_000L);

    private static long nanos(Instant t) {
        Instant clamped = t.isBefore(EARLIEST) ? EARLIEST : t.isAfter(LATEST) ? LATEST : t;
        return clamped.getEpochSecond() * 1_000_000_000L + clamped.getNano();
    }

    /** The windows of one class's groups on one variable, sorted by start and by end. */
    private static final class Windows {
        private long[] starts = new long[4];
        private long[] ends = new long[4];
        private int n;

        void add(long[] window) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, 2 * n);
                ends = Arrays.copyOf(ends, 2 * n);
            }
            starts[n] = window[0];
            ends[n] = window[1];
            n++;
        }

        void seal() {
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            Arrays.sort(starts);
            Arrays.sort(ends);
        }

        /**
         * Windows not certainly before or after {@code w}: all minus those ending more than the skew before it
         * starts and those starting more than the skew after it ends.
         */
        long overlapping(long[] w, long skew) {
            return n - countBelow(ends, w[0] - skew) - (n - countBelow(starts, w[1] + skew + 1));
        }

        /** How many of the sorted {@code a} are {@code < t}. */
        private static int countBelow(long[] a, long t) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}

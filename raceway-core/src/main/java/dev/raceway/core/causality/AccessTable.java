package dev.raceway.core.causality;

import dev.raceway.core.event.EventKind;
import java.util.Arrays;

/**
 * The StateChange accesses of a {@link CausalityIndex}, grouped by variable and in topological order within each
 * variable, with what race counting needs of each access copied next to it. Counting then works on one variable
 * at a time, reading these arrays sequentially with the variable's state small and hot in cache; visiting accesses
 * in topological order across all variables instead touched a different variable's state (and random positions
 * of the index's per-event arrays) at almost every step, and on large traces those cache misses were most of the
 * cost.
 */
final class AccessTable {
    /** Variable names by dense id, ids given in order of the variables' first access. */
    final String[] names;
    /** Accesses of variable {@code v} are {@code [start[v], start[v + 1])}. */
    final int[] start;
    /** Per access: its rank among all accesses in topological order (orders race details across variables). */
    final int[] rank;
    /** Per access: its {@link AccessClass}. */
    final byte[] accessClass;
    /** Per access: its chain and position on the chain ({@link CausalityIndex#chainAt}, {@code chainPositionAt}). */
    final int[] chain;
    final int[] position;
    /** Per access: its vector clock reference ({@link CausalityIndex#clockRefAt}). */
    final int[] clockRef;
    /** Per access: the locks held (interned by the index). */
    final LockSet[] locks;
    /** Per access: its site (code location and access kind), an index into {@link #sites}. */
    final int[] site;
    /** Sites by dense id. */
    final DistinctRaces.Site[] sites;
    /** Event position in the index by access rank. */
    private final int[] eventByRank;

    private AccessTable(String[] names, int[] start, int[] rank, byte[] accessClass, int[] chain, int[] position,
                        int[] clockRef, LockSet[] locks, int[] site, DistinctRaces.Site[] sites,
                        int[] eventByRank) {
        this.names = names;
        this.start = start;
        this.rank = rank;
        this.accessClass = accessClass;
        this.chain = chain;
        this.position = position;
        this.clockRef = clockRef;
        this.locks = locks;
        this.site = site;
        this.sites = sites;
        this.eventByRank = eventByRank;
    }

    int variableCount() {
        return names.length;
    }

    /** Event position in the index of access {@code a}. */
    int event(int a) {
        return eventByRank[rank[a]];
    }

    static AccessTable of(CausalityIndex index) {
        int n = index.size();
        // Short separate passes instead of one: kind → name → hash are dependent loads that miss the cache on
        // large traces, and short independent loop iterations let the CPU overlap the misses of many accesses.
        int[] eventByRank = new int[n];
        String[] nameByRank = new String[n];
        byte[] classByRank = new byte[n];
        int[] siteByRank = new int[n];
        java.util.Map<DistinctRaces.Site, Integer> siteIds = new java.util.HashMap<>();
        java.util.List<DistinctRaces.Site> sites = new java.util.ArrayList<>();
        EventKind.StateChange lastKind = null;
        int lastSite = -1;
        int accesses = 0;
        for (int k = 0; k < n; k++) {
            int v = index.topologicalAt(k);
            if (index.kindTagAt(v) == KindTag.STATE_CHANGE) {
                EventKind.StateChange sc = (EventKind.StateChange) index.eventAt(v).kind();
                eventByRank[accesses] = v;
                nameByRank[accesses] = sc.variable();
                if (sc != lastKind) { // SDKs and storage often share kind objects between events
                    DistinctRaces.Site key = new DistinctRaces.Site(sc.location(), sc.accessType());
                    Integer id = siteIds.putIfAbsent(key, sites.size());
                    if (id == null) {
                        id = sites.size();
                        sites.add(key);
                    }
                    lastKind = sc;
                    lastSite = id;
                }
                siteByRank[accesses] = lastSite;
                classByRank[accesses++] = (byte) AccessClass.of(sc.accessType());
            }
        }
        int[] hashByRank = new int[accesses];
        for (int r = 0; r < accesses; r++) {
            hashByRank[r] = nameByRank[r].hashCode();
        }
        int[] variableByRank = new int[accesses];
        VariableIds ids = new VariableIds();
        IntList counts = new IntList(16);
        for (int r = 0; r < accesses; r++) {
            int id = ids.idOf(nameByRank[r], hashByRank[r]);
            if (id == counts.size()) {
                counts.add(0);
            }
            counts.data()[id]++;
            variableByRank[r] = id;
        }
        int variables = ids.size();
        // a stable counting sort by variable keeps the topological order within each variable
        int[] start = new int[variables + 1];
        for (int v = 0; v < variables; v++) {
            start[v + 1] = start[v] + counts.get(v);
        }
        int[] next = Arrays.copyOf(start, variables);
        int[] rank = new int[accesses];
        byte[] accessClass = new byte[accesses];
        int[] chain = new int[accesses];
        int[] position = new int[accesses];
        int[] clockRef = new int[accesses];
        LockSet[] locks = new LockSet[accesses];
        int[] site = new int[accesses];
        for (int r = 0; r < accesses; r++) {
            int e = eventByRank[r];
            int a = next[variableByRank[r]]++;
            rank[a] = r;
            accessClass[a] = classByRank[r];
            chain[a] = index.chainAt(e);
            position[a] = index.chainPositionAt(e);
            clockRef[a] = index.clockRefAt(e);
            locks[a] = index.locksAt(e);
            site[a] = siteByRank[r];
        }
        return new AccessTable(ids.names(), start, rank, accessClass, chain, position, clockRef, locks, site,
                sites.toArray(new DistinctRaces.Site[0]), Arrays.copyOf(eventByRank, accesses));
    }
}

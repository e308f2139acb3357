package dev.raceway.benchmarks.agent.workload;

/**
 * One object with one field, bumped by one thread: {@code AgentFieldAccessBenchmark}'s unit of work, two field
 * accesses (a read and a write) that under the agent both take the owner fast path.
 */
public final class Tally {
    /** Field accesses per {@link #bump()}. */
    public static final int ACCESSES_PER_BUMP = 2;

    private long count;

    /** Reads and writes {@code count} once; returns it so the work cannot be optimised away. */
    public long bump() {
        return ++count;
    }
}

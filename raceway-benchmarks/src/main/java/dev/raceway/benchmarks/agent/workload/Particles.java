package dev.raceway.benchmarks.agent.workload;

/**
 * A field-heavy single-threaded loop: every step reads and writes the fields of a few hundred small objects
 * (7 field accesses per particle: 5 reads, 2 writes), the shape of ordinary object-oriented inner loops. Run
 * under the agent with this package tracked, every access passes the owner fast path.
 */
public final class Particles {
    /** Field accesses per particle per {@link #step()}. */
    public static final int ACCESSES_PER_PARTICLE = 7;

    static final class Particle {
        double x;
        double y;
        double vx;
        double vy;

        Particle(double vx, double vy) {
            this.vx = vx;
            this.vy = vy;
        }
    }

    private final Particle[] particles;

    public Particles(int n) {
        particles = new Particle[n];
        for (int i = 0; i < n; i++) {
            particles[i] = new Particle(i * 0.5, 1 - i * 0.25);
        }
    }

    public int size() {
        return particles.length;
    }

    /** Moves every particle once; returns a checksum so the work cannot be optimised away. */
    public double step() {
        double sum = 0;
        for (Particle p : particles) {
            p.x += p.vx;
            p.y += p.vy;
            sum += p.x;
        }
        return sum;
    }
}

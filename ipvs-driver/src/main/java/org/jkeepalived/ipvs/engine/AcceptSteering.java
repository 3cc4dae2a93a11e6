package org.jkeepalived.ipvs.engine;

/**
 * Which event loops take new TCP connections when every loop has its own listening socket in one
 * SO_REUSEPORT group per virtual service (EngineSettings.acceptOnEveryLoop, opt-in), and a connection
 * stays on the loop that accepted it.
 *
 * <p>While the first loop has headroom it takes every new connection ({@link Mode#FIRST}): one thread
 * serving many connections handles more events per wake-up, and on a small machine shared with the
 * real servers (or the clients) that is worth more than a second thread (measured: two loops with the
 * same 64 keep-alive connections cost about twice the CPU per request, one wake-up per request). Once
 * its thread was busy for more than {@link #SPREAD_ABOVE} of a period, new connections are spread over
 * all loops by the kernel's hash ({@link Mode#SPREAD}), so connection setup (most of it kernel work in
 * the accepting thread) uses every core; back to FIRST when all loops together were busy for less than
 * {@link #FIRST_BELOW} of a period (the gap keeps it from flapping).
 *
 * <p>Pure: it is fed each loop thread's CPU time and a clock reading; the engine applies the mode.
 */
final class AcceptSteering {
    enum Mode { FIRST, SPREAD }

    /** Busy share of the first loop above which new connections are spread. */
    static final double SPREAD_ABOVE = 0.5;
    /** Busy share of all loops together below which new connections go to the first loop again. */
    static final double FIRST_BELOW = 0.3;

    private final int loops;
    private final long[] lastCpu;
    private long lastNanos = Long.MIN_VALUE;
    private Mode mode = Mode.FIRST;

    AcceptSteering(int loops) {
        if (loops < 1) throw new IllegalArgumentException("loops " + loops);
        this.loops = loops;
        this.lastCpu = new long[loops];
    }

    Mode mode() {
        return mode;
    }

    /**
     * The mode for the next period, given each loop thread's CPU time so far ({@code cpuNanos[i]}, ever
     * growing) at {@code nowNanos}. The first call only records the baseline.
     */
    Mode update(long nowNanos, long[] cpuNanos) {
        if (cpuNanos.length != loops) throw new IllegalArgumentException("expected " + loops + " loops");
        if (lastNanos != Long.MIN_VALUE && nowNanos > lastNanos && loops > 1) {
            double period = nowNanos - lastNanos;
            double first = (cpuNanos[0] - lastCpu[0]) / period;
            double all = 0;
            for (int i = 0; i < loops; i++) all += (cpuNanos[i] - lastCpu[i]) / period;
            if (mode == Mode.FIRST && first > SPREAD_ABOVE) mode = Mode.SPREAD;
            else if (mode == Mode.SPREAD && all < FIRST_BELOW) mode = Mode.FIRST;
        }
        System.arraycopy(cpuNanos, 0, lastCpu, 0, loops);
        lastNanos = nowNanos;
        return mode;
    }
}

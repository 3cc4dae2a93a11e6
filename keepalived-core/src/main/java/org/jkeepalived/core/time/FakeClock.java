package org.jkeepalived.core.time;

import java.time.Duration;

/** A clock that moves only when told: for deterministic tests of timers. */
public final class FakeClock implements MonotonicClock {
    private long nanos;
    private final long epochMillisAtZero;

    public FakeClock() {
        this(1_700_000_000_000L);
    }

    public FakeClock(long epochMillisAtZero) {
        this.epochMillisAtZero = epochMillisAtZero;
    }

    @Override public synchronized long nanoTime() { return nanos; }

    @Override public synchronized long currentTimeMillis() { return epochMillisAtZero + nanos / 1_000_000; }

    public synchronized void advance(Duration d) { nanos += d.toNanos(); }

    public synchronized void advanceNanos(long n) { nanos += n; }
}

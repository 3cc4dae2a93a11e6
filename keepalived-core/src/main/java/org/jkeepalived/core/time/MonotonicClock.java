package org.jkeepalived.core.time;

/** The one source of time every module takes from outside, so tests can drive it. */
public interface MonotonicClock {
    /** Monotonic nanoseconds (only differences mean anything). */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch (for dumps such as last_transition). */
    default long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    MonotonicClock SYSTEM = System::nanoTime;
}

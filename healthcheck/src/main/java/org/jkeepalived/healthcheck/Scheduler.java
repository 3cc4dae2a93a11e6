package org.jkeepalived.healthcheck;

/**
 * Where the decision logic runs: one thread (an event loop) that also owns the timers.
 * Tests substitute a manual scheduler driven by a FakeClock.
 */
public interface Scheduler {
    void execute(Runnable task);

    Cancellable schedule(long delayNanos, Runnable task);

    boolean inScheduler();

    interface Cancellable {
        void cancel();
    }
}

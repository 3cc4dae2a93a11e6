package org.jkeepalived.healthcheck;

import java.time.Duration;
import java.util.PriorityQueue;
import org.jkeepalived.core.time.FakeClock;

/** A {@link Scheduler} that runs only when the test advances its {@link FakeClock}. */
public final class ManualScheduler implements Scheduler {
    private final FakeClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long seq;

    public ManualScheduler(FakeClock clock) {
        this.clock = clock;
    }

    private final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long order = seq++;
        final Runnable r;
        boolean cancelled;

        Task(long due, Runnable r) {
            this.due = due;
            this.r = r;
        }

        @Override public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
        }

        @Override public void cancel() {
            cancelled = true;
        }
    }

    @Override public synchronized void execute(Runnable task) {
        queue.add(new Task(clock.nanoTime(), task));
    }

    @Override public synchronized Cancellable schedule(long delayNanos, Runnable task) {
        Task t = new Task(clock.nanoTime() + Math.max(0, delayNanos), task);
        queue.add(t);
        return t;
    }

    @Override public boolean inScheduler() {
        return true;
    }

    /** Run everything due now (including what running schedules for now). */
    public void runDue() {
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.due > clock.nanoTime()) return;
                queue.poll();
            }
            if (!t.cancelled) t.r.run();
        }
    }

    /** Advance the clock to each due task in turn, up to d later. */
    public void advance(Duration d) {
        long end = clock.nanoTime() + d.toNanos();
        runDue();
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
            }
            if (t == null || t.due > end) break;
            if (t.due > clock.nanoTime()) clock.advanceNanos(t.due - clock.nanoTime());
            runDue();
        }
        if (end > clock.nanoTime()) clock.advanceNanos(end - clock.nanoTime());
        runDue();
    }
}

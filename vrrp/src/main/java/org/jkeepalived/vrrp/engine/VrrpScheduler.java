package org.jkeepalived.vrrp.engine;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jkeepalived.core.time.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that runs every VRRP timer and event, so state machines never see two threads.
 * Timers sit in a heap ordered by deadline and the thread sleeps exactly until the first one
 * (Condition.awaitNanos: tens of microseconds late, not a wheel's tick). With a fake clock, tests
 * skip {@link #start()} and call {@link #runDue()} after moving the clock.
 */
public final class VrrpScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpScheduler.class);

    private final MonotonicClock clock;
    private volatile Runnable onThreadStart = () -> { };
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long sequence;
    private volatile boolean stopped;
    private Thread thread;
    private final java.util.concurrent.atomic.AtomicLong maxLateness = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lateOver10ms = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong ran = new java.util.concurrent.atomic.AtomicLong();

    public VrrpScheduler(MonotonicClock clock) {
        this.clock = clock;
    }

    /** A scheduled task; cancel() is safe from any thread and after it ran. */
    public final class Timer implements Comparable<Timer> {
        final long deadline;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Runs first on the scheduler thread (e.g. to raise its priority). Call before {@link #start()}. */
    public void onThreadStart(Runnable r) {
        onThreadStart = r;
    }

    public MonotonicClock clock() {
        return clock;
    }

    /** Runs {@code task} on the scheduler thread at {@code deadlineNanos} (clock time). */
    public Timer at(long deadlineNanos, Runnable task) {
        lock.lock();
        try {
            Timer t = new Timer(deadlineNanos, sequence++, task);
            queue.add(t);
            if (queue.peek() == t) {
                changed.signal();
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    public Timer after(long delayNanos, Runnable task) {
        return at(clock.nanoTime() + delayNanos, task);
    }

    /** Runs {@code task} on the scheduler thread as soon as possible, after earlier submissions. */
    public void execute(Runnable task) {
        at(clock.nanoTime(), task);
    }

    /** Runs every task due by the clock's current time; returns how many ran (fake-clock tests). */
    public int runDue() {
        int n = 0;
        while (true) {
            Timer t;
            lock.lock();
            try {
                t = queue.peek();
                if (t == null || t.deadline - clock.nanoTime() > 0) {
                    return n;
                }
                queue.poll();
            } finally {
                lock.unlock();
            }
            if (!t.cancelled) {
                run(t);
                n++;
            }
        }
    }

    /** Nanoseconds until the next live timer, or -1 when none. */
    public long nextDelay() {
        lock.lock();
        try {
            while (!queue.isEmpty() && queue.peek().cancelled) {
                queue.poll();
            }
            Timer t = queue.peek();
            return t == null ? -1 : Math.max(0, t.deadline - clock.nanoTime());
        } finally {
            lock.unlock();
        }
    }

    private void run(Timer t) {
        long late = clock.nanoTime() - t.deadline;
        ran.incrementAndGet();
        if (late > maxLateness.get()) {
            maxLateness.accumulateAndGet(late, Math::max);
        }
        if (late > 10_000_000L) {
            lateOver10ms.incrementAndGet();
        }
        try {
            t.task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("VRRP timer task failed", e);
        }
    }

    /** How late tasks started after their deadline: {max ns, count over 10 ms, tasks run}. */
    public long[] lateness() {
        return new long[]{maxLateness.get(), lateOver10ms.get(), ran.get()};
    }

    /** Forgets the lateness seen so far (e.g. after start-up). */
    public void resetLateness() {
        maxLateness.set(0);
        lateOver10ms.set(0);
        ran.set(0);
    }

    /** Starts the scheduler thread (max priority: its lateness is our failover time). */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "vrrp-scheduler");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    public boolean inSchedulerThread() {
        return Thread.currentThread() == thread;
    }

    private void loop() {
        try {
            onThreadStart.run();
        } catch (RuntimeException e) {
            LOG.warn("scheduler thread set-up failed", e);
        }
        while (!stopped) {
            Timer due = null;
            lock.lock();
            try {
                Timer t = queue.peek();
                if (t == null) {
                    changed.await();
                } else if (t.cancelled) {
                    queue.poll();
                } else {
                    long wait = t.deadline - clock.nanoTime();
                    if (wait <= 0) {
                        due = queue.poll();
                    } else {
                        changed.awaitNanos(wait);
                    }
                }
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (due != null) {
                run(due);
            }
        }
    }

    /** Stops the thread after the task it is running; pending timers are dropped. */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        lock.lock();
        try {
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

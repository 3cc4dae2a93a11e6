package org.jkeepalived.vrrp.io;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link ProcessMonitor} without the kernel's connector (not root, not the initial PID / user
 * namespace, no CONFIG_PROC_EVENTS): /proc is read again every {@code interval} on a daemon thread
 * and each listener gets the whole table. A process living less than an interval may go unseen.
 * Command lines are read only for processes not seen by the previous poll.
 */
public final class PollingProcessMonitor implements ProcessMonitor {
    private final ProcFs proc;
    private final long intervalMillis;
    private final ProcessSubscribers subscribers = new ProcessSubscribers(() -> {}, () -> {});
    private final Thread thread;
    private volatile boolean closed;
    /** The last poll's table when it read command lines (touched under the subscribers' lock only). */
    private Map<Integer, ProcInfo> lastWithCmdline = Map.of();

    public PollingProcessMonitor(ProcFs proc, Duration interval) {
        this(proc, interval, true);
    }

    PollingProcessMonitor(ProcFs proc, Duration interval, boolean start) {
        this.proc = proc;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.thread = new Thread(this::run, "vrrp-process-poll");
        this.thread.setDaemon(true);
        if (start) {
            this.thread.start();
        }
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    /** One poll: a snapshot to every listener, or nothing when /proc could not be read whole. */
    void poll() {
        subscribers.snapshot(this::scan);
    }

    private Map<Integer, ProcInfo> scan(boolean cmdline) throws java.io.IOException {
        if (!cmdline) {
            return proc.scan(false);
        }
        Map<Integer, ProcInfo> t = proc.scan(true, lastWithCmdline);
        lastWithCmdline = t;
        return t;
    }

    @Override
    public AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener) {
        return subscribers.add(cmdline, listener, this::scan);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

package org.jkeepalived.vrrp.io;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProcessMonitor} without the kernel's connector (not root, not the initial network
 * namespace, no CONFIG_PROC_EVENTS): /proc is read again every {@code interval} on a daemon thread
 * and each listener gets the whole table. A process living less than an interval may go unseen.
 */
public final class PollingProcessMonitor implements ProcessMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(PollingProcessMonitor.class);

    private final ProcFs proc;
    private final long intervalMillis;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final Thread thread;
    private volatile boolean closed;

    private record Subscriber(boolean cmdline, Consumer<ProcessEvent> listener) {}

    public PollingProcessMonitor(ProcFs proc, Duration interval) {
        this.proc = proc;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.thread = new Thread(this::run, "vrrp-process-poll");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (subscribers.isEmpty()) {
                continue;
            }
            synchronized (lock) {
                boolean cmdline = subscribers.stream().anyMatch(Subscriber::cmdline);
                ProcessEvent.Snapshot s = new ProcessEvent.Snapshot(proc.scan(cmdline));
                for (Subscriber sub : subscribers) {
                    deliver(sub.listener(), s);
                }
            }
        }
    }

    static void deliver(Consumer<ProcessEvent> listener, ProcessEvent e) {
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("process listener failed on {}", e.getClass().getSimpleName(), ex);
        }
    }

    @Override
    public AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener) {
        Subscriber sub = new Subscriber(cmdline, listener);
        synchronized (lock) {
            deliver(listener, new ProcessEvent.Snapshot(proc.scan(cmdline)));
            subscribers.add(sub);
        }
        return () -> subscribers.remove(sub);
    }

    @Override
    public boolean kernelEvents() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

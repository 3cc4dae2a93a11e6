package org.jkeepalived.vrrp.io;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a {@link ProcessMonitor}: each gets a snapshot of /proc first, then the
 * monitor's events, delivered under one lock so an event read while a snapshot is taken follows
 * it. A scan that fails delivers nothing (a partial table would count as exits).
 */
public final class ProcessSubscribers {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSubscribers.class);

    /** Reads the process table (with command lines or not); throws when /proc cannot be read whole. */
    @FunctionalInterface
    public interface Scan {
        Map<Integer, ProcInfo> scan(boolean cmdline) throws IOException;
    }

    private record Subscriber(boolean cmdline, Consumer<ProcessEvent> listener) {}

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final RateLimitedLog scanFailures = new RateLimitedLog(LOG);
    private final Runnable lastLeft;
    private final Runnable missedSnapshot;

    /**
     * {@code lastLeft}: run when the last listener unsubscribes (on the unsubscribing thread);
     * {@code missedSnapshot}: run when a new listener could not get its first snapshot, so the
     * monitor scans again soon.
     */
    public ProcessSubscribers(Runnable lastLeft, Runnable missedSnapshot) {
        this.lastLeft = lastLeft;
        this.missedSnapshot = missedSnapshot;
    }

    public boolean isEmpty() {
        return subscribers.isEmpty();
    }

    /** Whether any listener matches command lines. */
    public boolean wantCmdline() {
        for (Subscriber s : subscribers) {
            if (s.cmdline()) return true;
        }
        return false;
    }

    /**
     * Delivers a snapshot to the new listener, then adds it; without a snapshot when /proc could
     * not be read (see {@code missedSnapshot}). Returns the handle that unsubscribes.
     */
    public AutoCloseable add(boolean cmdline, Consumer<ProcessEvent> listener, Scan scan) {
        Subscriber sub = new Subscriber(cmdline, listener);
        boolean missed = false;
        synchronized (lock) {
            try {
                deliver(sub, new ProcessEvent.Snapshot(scan.scan(cmdline)));
            } catch (IOException | RuntimeException e) {
                scanFailures.warn("track_process: cannot read the process table ({}) - retrying", e.toString());
                missed = true;
            }
            subscribers.add(sub);
        }
        if (missed) {
            missedSnapshot.run();
        }
        return () -> {
            if (subscribers.remove(sub) && subscribers.isEmpty()) {
                lastLeft.run();
            }
        };
    }

    /** One event to every listener. */
    public void deliver(ProcessEvent e) {
        synchronized (lock) {
            for (Subscriber s : subscribers) {
                deliver(s, e);
            }
        }
    }

    /**
     * A new snapshot to every listener (nothing when there are none). False when the scan failed:
     * logged (rate-limited) and skipped, the listeners keep what they had.
     */
    public boolean snapshot(Scan scan) {
        synchronized (lock) {
            if (subscribers.isEmpty()) {
                return true;
            }
            ProcessEvent.Snapshot s;
            try {
                s = new ProcessEvent.Snapshot(scan.scan(wantCmdline()));
            } catch (IOException | RuntimeException e) {
                scanFailures.warn("track_process: cannot read the process table ({}) - keeping the last counts", e.toString());
                return false;
            }
            for (Subscriber sub : subscribers) {
                deliver(sub, s);
            }
            return true;
        }
    }

    private static void deliver(Subscriber s, ProcessEvent e) {
        try {
            s.listener().accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("process listener failed on {}", e.getClass().getSimpleName(), ex);
        }
    }
}

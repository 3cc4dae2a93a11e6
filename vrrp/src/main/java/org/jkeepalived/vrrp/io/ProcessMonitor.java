package org.jkeepalived.vrrp.io;

import java.io.Closeable;
import java.util.function.Consumer;

/**
 * The processes running on the host, for vrrp_track_process: the kernel's process events connector
 * (netlink, root only) or, without it, a rescan of /proc every second.
 */
public interface ProcessMonitor extends Closeable {
    /**
     * Delivers a {@link ProcessEvent.Snapshot} of every process, then each change, in order. The
     * snapshot is taken and delivered before this returns; later events come on the monitor's thread.
     * Listeners must not block. {@code cmdline}: the listener matches command lines, so read them.
     * Returns a handle that unsubscribes.
     */
    AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener);

    /** True when changes come from the kernel as they happen, false when /proc is polled. */
    boolean kernelEvents();

    @Override
    void close();
}

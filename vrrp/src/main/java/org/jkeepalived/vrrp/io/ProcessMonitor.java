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
     * snapshot is taken and delivered before this returns, unless /proc cannot be read: then it
     * comes later, on the monitor's thread, as later events do. Listeners must not block.
     * {@code cmdline}: the listener matches command lines, so read them. Returns a handle that
     * unsubscribes.
     */
    AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener);

    @Override
    void close();

    /**
     * global_defs process_monitor_rcv_bufs (bytes, 0: our default of 1 MiB) and
     * process_monitor_rcv_bufs_force (null: not given; we then force, as we hold CAP_NET_ADMIN):
     * the kernel connector socket's receive buffer.
     */
    record Settings(long rcvBufs, Boolean rcvBufsForce) {
        public static final Settings DEFAULT = new Settings(0, null);
    }
}

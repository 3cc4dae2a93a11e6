package org.jkeepalived.vrrp.io;

import java.io.Closeable;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Interface state from rtnetlink: a dump at start, then RTM_NEWLINK / RTM_DELLINK notifications
 * (RTNLGRP_LINK). Listeners run on the monitor's own thread and must not block.
 */
public interface LinkMonitor extends Closeable {
    /** The last known state of {@code iface}; empty when no such interface exists. */
    Optional<LinkInfo> link(String iface);

    /**
     * Calls {@code listener} for every change of any link (a deleted link is reported with flags 0
     * and carrier false). Returns a handle that unsubscribes.
     */
    AutoCloseable subscribe(Consumer<LinkInfo> listener);

    @Override
    void close();
}

package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jkeepalived.core.config.KeepalivedConfig;

/**
 * One half of the daemon (VRRP, or checkers + table driver), as keepalived's child processes are.
 * reload() gets the new config only after it loaded cleanly, and must adjust rather than rebuild:
 * unchanged parts keep their state.
 */
interface Subsystem extends AutoCloseable {
    String name();

    void start(KeepalivedConfig config) throws Exception;

    void reload(KeepalivedConfig config) throws Exception;

    /** Fills the status reply (jkeepalived status) with this subsystem's part. */
    void status(ObjectNode into);

    /** Graceful stop (SIGTERM): VRRP sends priority 0 and drops VIPs; the driver flushes per lvs_flush_onstop. */
    @Override void close();
}

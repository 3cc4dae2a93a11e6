package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.ScriptPolicy;
import org.jkeepalived.core.config.ScriptSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notify FIFOs of global_defs, shared by VRRP and the checkers: notify_fifo takes both sides'
 * lines, vrrp_notify_fifo VRRP's, lvs_notify_fifo the checkers'. Each FIFO is opened once (its
 * script started once) however many sides write to it. Listed last so it closes after the others
 * (their STOP / DOWN lines are written first); they call {@link #applyConfig} on start and reload.
 */
final class NotifyFifos implements SharedSubsystem {
    private static final Logger log = LoggerFactory.getLogger("Keepalived");

    private volatile NotifyFifo both, vrrp, lvs;

    @Override public String name() {
        return "notify_fifo";
    }

    /** Opens what the config names; an unchanged FIFO stays open. */
    @Override public synchronized void applyConfig(KeepalivedConfig config) {
        GlobalDefs g = config.globalDefs();
        ScriptPolicy policy = ScriptPolicy.of(g);
        both = reopen(both, g.notifyFifo(), g.notifyFifoScript(), policy);
        vrrp = reopen(vrrp, g.vrrpNotifyFifo(), g.vrrpNotifyFifoScript(), policy);
        lvs = reopen(lvs, g.lvsNotifyFifo(), g.lvsNotifyFifoScript(), policy);
    }

    private static NotifyFifo reopen(NotifyFifo had, String path, ScriptSpec script, ScriptPolicy policy) {
        if (had != null && had.same(path, script)) return had;
        if (had != null) had.close();
        try {
            return NotifyFifo.open(path, script, policy);
        } catch (java.io.IOException | RuntimeException e) {
            log.error("notify FIFO {}: {}; notifications are not written to it", path, e.getMessage());
            return null;
        }
    }

    /** INSTANCE|GROUP "name" STATE priority, to notify_fifo and vrrp_notify_fifo. */
    void vrrp(String target, String name, String state, int priority) {
        String line = target + " \"" + name + "\" " + state + " " + priority;
        write(both, line);
        write(vrrp, line);
    }

    /** {@code VS [10.0.0.1]:tcp:80 UP} or {@code RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN}, to notify_fifo and lvs_notify_fifo. */
    void lvs(String line) {
        write(both, line);
        write(lvs, line);
    }

    private static void write(NotifyFifo f, String line) {
        if (f != null) f.write(line);
    }

    @Override public void status(ObjectNode into) {
    }

    @Override public synchronized void close() {
        for (NotifyFifo f : new NotifyFifo[] {both, vrrp, lvs}) if (f != null) f.close();
        both = vrrp = lvs = null;
    }
}

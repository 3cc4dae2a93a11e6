package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.bfd.BfdService;
import org.jkeepalived.healthcheck.bfd.BfdState;
import org.jkeepalived.healthcheck.nativeio.UdpTtlSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's BFD process: every bfd_instance's session runs once for the whole daemon, on its own
 * thread; BFD_CHECK reads the sessions (through {@link #service()}), track_bfd follows them (through
 * {@link #addListener}). Listed after VRRP and the checkers so it closes last (its AdminDown must not
 * fault VRRP or empty the table during a stop); they call {@link #apply} first on start and reload,
 * so the sessions exist before anything reads them.
 */
final class BfdSubsystem implements SharedSubsystem {
    private static final Logger log = LoggerFactory.getLogger("Keepalived_bfd");

    private final boolean forVrrp;
    private final boolean forCheckers;
    private final List<BfdService.Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile BfdService service;

    /** -P runs only the sessions meant for VRRP, -C only those for the checkers (as keepalived's children). */
    BfdSubsystem(boolean forVrrp, boolean forCheckers) {
        this.forVrrp = forVrrp;
        this.forCheckers = forCheckers;
    }

    @Override public String name() {
        return "bfd";
    }

    @Override public void applyConfig(KeepalivedConfig config) {
        apply(config);
    }

    /**
     * Runs the config's sessions: kept as they are (state and discriminators) when the bfd_instances
     * did not change, else replaced; followers then hear Down for every session of the old set.
     * Idempotent, so each subsystem may call it.
     *
     * @return the sessions, or null when the config has none for this process
     */
    synchronized BfdService apply(KeepalivedConfig config) {
        List<BfdInstance> wanted = config.bfdInstances().stream()
                .filter(b -> (forVrrp && b.forVrrp()) || (forCheckers && b.forChecker())).toList();
        BfdService old = service;
        if (old != null && old.instances().equals(wanted)) return old;
        service = null;
        if (old != null) {
            old.close();
            for (BfdInstance b : old.instances()) notify(b.name(), BfdState.DOWN);
        }
        if (!wanted.isEmpty()) {
            BfdService s = new BfdService(wanted, null, MonotonicClock.SYSTEM, UdpTtlSocket.SYSTEM);
            // only the running set speaks: a replaced set's AdminDown was already told as Down above
            s.addListener((name, state) -> {
                if (service == s) notify(name, state);
            });
            service = s;
            s.start();
            log.info("BFD: {} session(s) started", wanted.size());
        }
        return service;
    }

    private void notify(String name, BfdState state) {
        for (BfdService.Listener l : listeners) l.stateChanged(name, state);
    }

    /** The running sessions (null when none). */
    BfdService service() {
        return service;
    }

    /** Called on the BFD thread for each state change; do not block. */
    void addListener(BfdService.Listener l) {
        listeners.add(l);
    }

    @Override public void status(ObjectNode into) {
        BfdService s = service;
        if (s == null) return;
        ArrayNode a = into.putArray("bfd");
        for (BfdInstance b : s.instances()) {
            BfdState st = s.state(b.name());
            a.addObject().put("name", b.name()).put("neighbor_ip", b.neighborIp().getHostAddress())
                    .put("state", st == null ? "Down" : st.label);
        }
    }

    @Override public synchronized void close() {
        listeners.clear();
        BfdService s = service;
        service = null;
        if (s != null) s.close();
    }
}

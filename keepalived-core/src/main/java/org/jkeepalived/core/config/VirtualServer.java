package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * virtual_server ADDR [PORT] | fwmark N | group NAME { ... }. Exactly one of (address), fwmark and
 * group is set. Defaults: lvs_sched wlc (ipvsadm's), lvs_method NAT, protocol TCP, delay_loop 60 s,
 * quorum 1, hysteresis 0, persistence off.
 */
public record VirtualServer(
        InetAddress address,
        int port,
        Integer fwmark,
        String group,
        String ipFamily,
        L4Protocol protocol,
        String lvsSched,
        List<String> schedFlags,
        boolean ops,
        LvsMethod lvsMethod,
        TunnelSpec tunnel,
        /** persistence timeout; null when not persistent. */
        Duration persistenceTimeout,
        /** persistence_granularity as a netmask (IPv4) or prefix length (IPv6), or null. */
        String persistenceGranularity,
        String persistenceEngine,
        Duration delayLoop,
        boolean haSuspend,
        boolean alpha,
        boolean omega,
        int quorum,
        int hysteresis,
        ScriptSpec quorumUp,
        ScriptSpec quorumDown,
        boolean inhibitOnFailure,
        String virtualhost,
        RealServer sorryServer,
        boolean sorryServerInhibit,
        List<RealServer> realServers,
        /** smtp_alert as written (null: not set, see {@link GlobalDefs.SmtpAlerts#forVirtualServer}). */
        Boolean smtpAlert,
        Map<String, List<List<String>>> options) {

    public VirtualServer {
        schedFlags = schedFlags == null ? List.of() : List.copyOf(schedFlags);
        realServers = realServers == null ? List.of() : List.copyOf(realServers);
        options = Options.copy(options);
    }

    /** "[10.0.0.1]:tcp:80", "FWM 1" or "group NAME", as keepalived's log lines name a virtual server. */
    public String label() {
        if (fwmark != null) return "FWM " + fwmark;
        if (group != null) return "[" + group + "]:" + protocol.name().toLowerCase() + ":" + port;
        return "[" + org.jkeepalived.core.parse.Addresses.format(address) + "]:" + protocol.name().toLowerCase() + ":" + port;
    }
}

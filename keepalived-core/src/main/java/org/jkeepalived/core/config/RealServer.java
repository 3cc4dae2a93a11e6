package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * real_server ADDR [PORT] { ... }. Inherited settings (lvs_method, inhibit_on_failure, alpha, timers)
 * are resolved from the virtual server by the parser. port 0 means "the virtual server's port"
 * is not set (fwmark / persistent services).
 */
public record RealServer(
        InetAddress address,
        int port,
        int weight,
        LvsMethod lvsMethod,
        TunnelSpec tunnel,
        boolean inhibitOnFailure,
        boolean alpha,
        Integer uthreshold,
        Integer lthreshold,
        ScriptSpec notifyUp,
        ScriptSpec notifyDown,
        String virtualhost,
        List<Checker> checkers,
        /** smtp_alert as written (null: not set, see {@link GlobalDefs.SmtpAlerts#forRealServer}). */
        Boolean smtpAlert,
        Map<String, List<List<String>>> options) {

    public RealServer {
        checkers = checkers == null ? List.of() : List.copyOf(checkers);
        options = Options.copy(options);
    }

    /** The same real server on another port. */
    public RealServer withPort(int p) {
        return new RealServer(address, p, weight, lvsMethod, tunnel, inhibitOnFailure, alpha, uthreshold, lthreshold,
                notifyUp, notifyDown, virtualhost, checkers, smtpAlert, options);
    }

    /** The port connections go to: its own, or the virtual server's when it has none (0). */
    public int portIn(VirtualServer vs) {
        return port == 0 ? vs.port() : port;
    }

    /** "[10.0.0.2]:80" as keepalived's log lines print a server. */
    public String label() {
        return "[" + org.jkeepalived.core.parse.Addresses.format(address) + "]:" + port;
    }
}

package org.jkeepalived.healthcheck;

import org.jkeepalived.core.config.Checker;

/** The subjects and bodies of keepalived 2.2.7's checker mails (smtp_alert); the alerter adds "[router_id] ". */
final class CheckerAlerts {
    private CheckerAlerts() {}

    /** "Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN": the real server's state after the change. */
    static String realServerSubject(String rsLabel, String vsLabel, boolean alive) {
        return "Realserver " + rsLabel + " of virtual server " + vsLabel + " - " + (alive ? "UP" : "DOWN");
    }

    /** "Virtualserver [10.0.0.1]:tcp:80 - UP". */
    static String virtualServerSubject(String vsLabel, boolean up) {
        return "Virtualserver " + vsLabel + " - " + (up ? "UP" : "DOWN");
    }

    /**
     * The body each keepalived checker writes when it changes state (they differ by checker), or null
     * for FILE_CHECK, which mails nothing.
     */
    static String body(Checker c, boolean up, CheckResult last) {
        if (c instanceof Checker.TcpCheck) return up ? "=> TCP CHECK succeed on service <=" : "=> TCP CHECK failed on service <=";
        if (c instanceof Checker.UdpCheck) return up ? "=> UDP CHECK succeed on service <=" : "=> UDP CHECK failed on service <=";
        if (c instanceof Checker.PingCheck) return up ? "=> ICMP CHECK succeed on service <=" : "=> ICMP CHECK failed on service <=";
        if (c instanceof Checker.HttpGet) {
            return up ? "=> CHECK succeed on service <=" : "=> CHECK failed on service : HTTP request failed <=";
        }
        if (c instanceof Checker.SmtpCheck) return up ? "=> CHECK succeed on service <=" : "=> CHECK failed on service <=";
        if (c instanceof Checker.DnsCheck) return up ? "=> DNS_CHECK: succeed on service <=" : "=> DNS_CHECK: failed on service <=";
        if (c instanceof Checker.MiscCheck) {
            String how = up ? "succeeded" : last != null && "script_timeout".equals(last.reason()) ? "timed out" : "failed";
            return "=> MISC CHECK " + how + " on service <=";
        }
        if (c instanceof Checker.BfdCheck b) {
            return "=> BFD CHECK " + b.name() + " " + (up ? "succeeded" : "failed") + " on service <=";
        }
        return null;
    }
}

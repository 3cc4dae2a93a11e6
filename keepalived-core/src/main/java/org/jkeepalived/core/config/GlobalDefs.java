package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** global_defs { ... }. Defaults are keepalived 2.2.7's. */
public record GlobalDefs(
        String routerId,
        List<String> notificationEmail,
        String notificationEmailFrom,
        String smtpServer,
        Duration smtpConnectTimeout,
        boolean enableScriptSecurity,
        String scriptUser,
        String scriptGroup,
        /** vrrp_version: 2 unless set. */
        int vrrpVersion,
        boolean vrrpStrict,
        InetAddress vrrpMcastGroup4,
        InetAddress vrrpMcastGroup6,
        Duration vrrpGarpMasterDelay,
        int vrrpGarpMasterRepeat,
        Duration vrrpGarpMasterRefresh,
        int vrrpGarpMasterRefreshRepeat,
        Duration vrrpGarpInterval,
        Duration vrrpGnaInterval,
        boolean vrrpSkipCheckAdvAddr,
        boolean vrrpCheckUnicastSrc,
        boolean lvsFlush,
        /** lvs_flush_onstop: null = leave the table, "ALL" / "VS" as keepalived. */
        String lvsFlushOnstop,
        LvsTimeouts lvsTimeouts,
        LvsSyncDaemon lvsSyncDaemon,
        /** notify_fifo: VRRP's and the checkers' notifications. */
        String notifyFifo,
        ScriptSpec notifyFifoScript,
        /** vrrp_notify_fifo: VRRP's notifications only. */
        String vrrpNotifyFifo,
        ScriptSpec vrrpNotifyFifoScript,
        /** lvs_notify_fifo: the checkers' notifications only. */
        String lvsNotifyFifo,
        ScriptSpec lvsNotifyFifoScript,
        boolean fifoWriteVrrpStatesOnReload,
        boolean dynamicInterfaces,
        /** smtp_server's port, smtp_helo_name and the smtp_alert defaults (email alerts). */
        SmtpAlerts smtpAlerts,
        Map<String, List<List<String>>> options) {

    public GlobalDefs {
        notificationEmail = notificationEmail == null ? List.of() : List.copyOf(notificationEmail);
        smtpAlerts = smtpAlerts == null ? SmtpAlerts.DEFAULT : smtpAlerts;
        options = Options.copy(options);
    }

    /** keepalived mails only when it has both somewhere to send to and someone to send to. */
    public boolean sendsEmail() {
        return smtpServer != null && !notificationEmail.isEmpty();
    }

    /**
     * The email side of global_defs besides the addresses: smtp_server's port (25 unless given),
     * smtp_helo_name (null: the host name), the smtp_alert / smtp_alert_vrrp / smtp_alert_checker
     * defaults (null: not set), no_email_faults and no_checker_emails.
     */
    public record SmtpAlerts(int serverPort, String heloName, Boolean smtpAlert, Boolean smtpAlertVrrp,
                             Boolean smtpAlertChecker, boolean noEmailFaults, boolean noCheckerEmails) {
        public static final int SMTP_PORT = 25;
        public static final SmtpAlerts DEFAULT = new SmtpAlerts(SMTP_PORT, null, null, null, null, false, false);

        /** A vrrp_instance's or vrrp_sync_group's smtp_alert: its own, else smtp_alert_vrrp, else smtp_alert, else off. */
        public boolean forVrrp(Boolean own) {
            return first(own, smtpAlertVrrp, smtpAlert, false);
        }

        /** A virtual_server's smtp_alert: its own, else smtp_alert_checker, else smtp_alert, else off. */
        public boolean forVirtualServer(Boolean own) {
            return first(own, smtpAlertChecker, smtpAlert, false);
        }

        /**
         * A real_server's smtp_alert: its own, else smtp_alert_checker, else smtp_alert, else ON: keepalived
         * 2.2.7 defaults real servers to mailing (its man page says so too), unlike everything else.
         */
        public boolean forRealServer(Boolean own) {
            return first(own, smtpAlertChecker, smtpAlert, true);
        }

        private static boolean first(Boolean own, Boolean specific, Boolean all, boolean dflt) {
            if (own != null) return own;
            if (specific != null) return specific;
            return all != null ? all : dflt;
        }
    }

    /** lvs_timeouts tcp N tcpfin N udp N (seconds; null = leave the kernel's). */
    public record LvsTimeouts(Duration tcp, Duration tcpfin, Duration udp) {}

    /** lvs_sync_daemon INTERFACE VRRP_INSTANCE [id N] [maxlen N] [port N] [ttl N] [group IP]. */
    public record LvsSyncDaemon(String iface, String vrrpInstance, int syncId, Integer maxlen,
                                Integer port, Integer ttl, InetAddress group) {}
}

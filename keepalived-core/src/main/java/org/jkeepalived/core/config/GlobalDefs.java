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
        Map<String, List<List<String>>> options) {

    public GlobalDefs {
        notificationEmail = notificationEmail == null ? List.of() : List.copyOf(notificationEmail);
        options = Options.copy(options);
    }

    /** lvs_timeouts tcp N tcpfin N udp N (seconds; null = leave the kernel's). */
    public record LvsTimeouts(Duration tcp, Duration tcpfin, Duration udp) {}

    /** lvs_sync_daemon INTERFACE VRRP_INSTANCE [id N] [maxlen N] [port N] [ttl N] [group IP]. */
    public record LvsSyncDaemon(String iface, String vrrpInstance, int syncId, Integer maxlen,
                                Integer port, Integer ttl, InetAddress group) {}
}

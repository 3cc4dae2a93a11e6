package org.jkeepalived.vrrp.track;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;
import org.jkeepalived.core.smtp.SmtpAlerter;
import org.jkeepalived.vrrp.fsm.Action;

/**
 * keepalived's VRRP email alerts: fed the same {@link Action.Notify} events the notify scripts and
 * FIFOs get (a sync group member is mailed as well as its group: keepalived moves the members first,
 * each with its own mail), it mails MASTER, BACKUP, FAULT and STOP of the instances and sync groups whose
 * smtp_alert is on (their own, else smtp_alert_vrrp, else smtp_alert). Like keepalived, a state is
 * mailed once however often it is notified, and no_email_faults leaves FAULT out. Subjects and
 * bodies are keepalived 2.2.7's; {@link SmtpAlerter} adds the "[router_id] " prefix and sends.
 * Returns at once: called on the VRRP thread.
 */
public final class VrrpSmtpNotifier {
    private final SmtpAlerter alerter;
    private volatile Map<String, Boolean> enabled = Map.of();
    /** The settings of the last config alone (without the removed ones carried over). */
    private Map<String, Boolean> configured = Map.of();
    private volatile boolean noEmailFaults;
    /** The state last mailed per instance / group: keepalived's last_email_state. */
    private final Map<String, VrrpState> lastEmailed = new ConcurrentHashMap<>();

    public VrrpSmtpNotifier(SmtpAlerter alerter) {
        this.alerter = alerter;
    }

    /**
     * Which instances and sync groups mail, from this config (start and reload). An instance a reload
     * removes keeps its setting from the config before, so its last notification (FAULT, as keepalived
     * reports a deleted instance) is mailed as keepalived mails it.
     */
    public void configure(KeepalivedConfig cfg) {
        GlobalDefs.SmtpAlerts s = cfg.globalDefs().smtpAlerts();
        Map<String, Boolean> on = new HashMap<>();
        for (VrrpInstance vi : cfg.vrrpInstances()) on.put(key(Action.Target.INSTANCE, vi.name()), s.forVrrp(vi.smtpAlert()));
        for (VrrpSyncGroup g : cfg.vrrpSyncGroups()) on.put(key(Action.Target.GROUP, g.name()), s.forVrrp(g.smtpAlert()));
        Map<String, Boolean> merged = new HashMap<>(on);
        configured.forEach((k, v) -> merged.putIfAbsent(k, v));
        configured = Map.copyOf(on);
        noEmailFaults = s.noEmailFaults();
        enabled = Map.copyOf(merged);
    }

    public void onNotify(Action.Notify n) {
        String key = key(n.target(), n.name());
        if (!enabled.getOrDefault(key, false)) return;
        if (noEmailFaults && n.state() == VrrpState.FAULT) return;
        if (lastEmailed.get(key) == n.state()) return;
        boolean group = n.target() == Action.Target.GROUP;
        String what, body;
        switch (n.state()) {
            case MASTER:
                what = "Entering MASTER state";
                body = group ? "=> All VRRP group instances are now in MASTER state <="
                        : "=> VRRP Instance is now owning VRRP VIPs <=";
                break;
            case BACKUP:
                what = "Entering BACKUP state";
                body = group ? "=> All VRRP group instances are now in BACKUP state <="
                        : "=> VRRP Instance is no longer owning VRRP VIPs <=";
                break;
            case FAULT:
                what = "Entering FAULT state";
                body = group ? "=> All VRRP group instances are now in FAULT state <="
                        : "=> VRRP Instance is no longer owning VRRP VIPs <=";
                break;
            case STOP:
                what = "Stopping";
                body = group ? "=> All VRRP group instances are now stopping <=" : "=> VRRP Instance stopping <=";
                break;
            default:
                return; // INIT is never mailed
        }
        lastEmailed.put(key, n.state());
        alerter.alert((group ? "VRRP Group " : "VRRP Instance ") + n.name() + " - " + what, body);
    }

    private static String key(Action.Target t, String name) {
        return t.name() + ":" + name;
    }
}

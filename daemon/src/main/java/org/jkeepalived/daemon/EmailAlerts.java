package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.smtp.SmtpAlerter;

/**
 * smtp_alert's mailer, shared by VRRP and the checkers: one queue, one thread, so a dead mail server
 * costs neither side anything. Listed after them so it closes last: their stop mails (VRRP's
 * "Stopping", omega's "Shutting down") are queued first and get a short grace to go out.
 */
final class EmailAlerts implements SharedSubsystem {
    private final SmtpAlerter alerter = new SmtpAlerter();

    SmtpAlerter alerter() {
        return alerter;
    }

    @Override public String name() {
        return "smtp_alert";
    }

    /** The server, recipients and names of global_defs; mails already queued keep theirs. */
    @Override public void applyConfig(KeepalivedConfig config) {
        alerter.configure(config.globalDefs());
    }

    @Override public void status(ObjectNode into) {
    }

    @Override public void close() {
        alerter.close();
    }
}

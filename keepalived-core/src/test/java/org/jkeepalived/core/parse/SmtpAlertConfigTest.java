package org.jkeepalived.core.parse;

import static org.jkeepalived.core.parse.TestSupport.find;
import static org.jkeepalived.core.parse.TestSupport.ok;
import static org.jkeepalived.core.parse.TestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.parse.Diagnostic.Severity;
import org.junit.jupiter.api.Test;

/**
 * global_defs' email settings and smtp_alert everywhere, with keepalived 2.2.7's -t verdicts: every
 * report below is one keepalived -t also makes (it fails the test), and it starts with the config.
 */
class SmtpAlertConfigTest {
    private static final String EMAIL = " notification_email {\n  a@example.com\n }\n smtp_server 127.0.0.1\n";
    private static final String OBJECTS = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n priority 100\n"
            + " virtual_ipaddress {\n  10.0.0.1\n }\nSMTP_VI}\n"
            + "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 2\n priority 100\n"
            + " virtual_ipaddress {\n  10.0.0.2\n }\n}\n"
            + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\nSMTP_SG}\n"
            + "virtual_server 10.1.1.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\nSMTP_VS real_server 10.1.1.2 80 {\nSMTP_RS  TCP_CHECK {\n  }\n }\n}\n";

    private static String conf(String globals, String vi, String sg, String vs, String rs) {
        return "global_defs {\n" + EMAIL + globals + "}\n" + OBJECTS.replace("SMTP_VI", vi).replace("SMTP_SG", sg)
                .replace("SMTP_VS", vs).replace("SMTP_RS", rs);
    }

    @Test
    void emailSettingsAreTyped() {
        GlobalDefs g = ok("global_defs {\n notification_email {\n  a@example.com\n  b@example.com\n }\n"
                + " notification_email_from ka@example.com\n smtp_server mail.example.com 2525\n smtp_connect_timeout 7\n"
                + " smtp_helo_name lb1.example.com\n no_email_faults\n no_checker_emails\n}\n").globalDefs();
        assertTrue(g.sendsEmail());
        assertEquals("mail.example.com", g.smtpServer());
        assertEquals(2525, g.smtpAlerts().serverPort());
        assertEquals(Duration.ofSeconds(7), g.smtpConnectTimeout());
        assertEquals("lb1.example.com", g.smtpAlerts().heloName());
        assertTrue(g.smtpAlerts().noEmailFaults());
        assertTrue(g.smtpAlerts().noCheckerEmails());
        assertTrue(g.options().isEmpty(), "no email keyword is left untyped: " + g.options());
    }

    @Test
    void defaultsAreKeepalivedsPortTimeoutAndPerObjectDefaults() {
        GlobalDefs g = ok("global_defs {\n" + EMAIL + "}\n").globalDefs();
        assertEquals(25, g.smtpAlerts().serverPort());
        assertEquals(Duration.ofSeconds(30), g.smtpConnectTimeout());
        assertNull(g.smtpAlerts().heloName());
        // nothing set: VRRP and virtual servers stay quiet, real servers mail (keepalived 2.2.7's odd default)
        assertFalse(g.smtpAlerts().forVrrp(null));
        assertFalse(g.smtpAlerts().forVirtualServer(null));
        assertTrue(g.smtpAlerts().forRealServer(null));
        assertFalse(ok("").globalDefs().sendsEmail());
    }

    @Test
    void objectBeatsItsKindsDefaultWhichBeatsTheGlobalOne() {
        KeepalivedConfig c = ok(conf(" smtp_alert\n smtp_alert_vrrp off\n", " smtp_alert yes\n", "", " smtp_alert no\n", ""));
        GlobalDefs.SmtpAlerts s = c.globalDefs().smtpAlerts();
        assertEquals(Boolean.TRUE, s.smtpAlert());
        assertEquals(Boolean.FALSE, s.smtpAlertVrrp());
        assertNull(s.smtpAlertChecker());
        assertTrue(s.forVrrp(c.vrrpInstance("VI_1").get().smtpAlert()), "the instance's own smtp_alert yes");
        assertFalse(s.forVrrp(c.vrrpInstance("VI_2").get().smtpAlert()), "smtp_alert_vrrp off over smtp_alert");
        assertFalse(s.forVrrp(c.vrrpSyncGroups().get(0).smtpAlert()));
        assertFalse(s.forVirtualServer(c.virtualServers().get(0).smtpAlert()), "the virtual server's own no");
        assertTrue(s.forRealServer(c.virtualServers().get(0).realServers().get(0).smtpAlert()), "global smtp_alert");

        KeepalivedConfig off = ok(conf(" smtp_alert_checker false\n", "", " smtp_alert true\n", "", " smtp_alert on\n"));
        GlobalDefs.SmtpAlerts o = off.globalDefs().smtpAlerts();
        assertFalse(o.forRealServer(null), "smtp_alert_checker off silences real servers without their own");
        assertTrue(o.forRealServer(off.virtualServers().get(0).realServers().get(0).smtpAlert()));
        assertTrue(o.forVrrp(off.vrrpSyncGroups().get(0).smtpAlert()));
        assertFalse(o.forVrrp(off.vrrpInstance("VI_1").get().smtpAlert()));
    }

    @Test
    void anInvalidBooleanIsReportedWhereItIsAndIgnored() {
        // keepalived: "Invalid vrrp_instance smtp_alert parameter 0" (and -t fails), values compared case-sensitively
        LoadResult r = parse(conf(" smtp_alert maybe\n", " smtp_alert 0\n", " smtp_alert nope\n", " smtp_alert x\n",
                " smtp_alert ON\n"));
        assertNotNull(r.config(), "keepalived starts with these");
        Diagnostic g = find(r, Severity.WARNING, "global smtp_alert value 'maybe'");
        assertEquals(6, g.pos().line());
        assertEquals(13, g.pos().column());
        assertEquals(15, find(r, Severity.WARNING, "vrrp_instance smtp_alert value '0'").pos().line());
        find(r, Severity.WARNING, "vrrp_sync_group smtp_alert value 'nope'");
        find(r, Severity.WARNING, "virtual_server smtp_alert value 'x'");
        find(r, Severity.WARNING, "real_server smtp_alert value 'ON'");
        KeepalivedConfig c = r.config();
        assertNull(c.globalDefs().smtpAlerts().smtpAlert());
        assertNull(c.vrrpInstance("VI_1").get().smtpAlert());
        assertNull(c.vrrpSyncGroups().get(0).smtpAlert());
        assertNull(c.virtualServers().get(0).smtpAlert());
        assertNull(c.virtualServers().get(0).realServers().get(0).smtpAlert());

        LoadResult k = parse("global_defs {\n smtp_alert_vrrp 1\n smtp_alert_checker On\n no_checker_emails maybe\n}\n");
        find(k, Severity.WARNING, "global smtp_alert_vrrp value '1'");
        find(k, Severity.WARNING, "global smtp_alert_checker value 'On'");
        find(k, Severity.WARNING, "global no_checker_emails value 'maybe'");
    }

    @Test
    void smtpConnectTimeoutIsWholeSecondsAsKeepalivedReadsIt() {
        LoadResult zero = parse("global_defs {\n smtp_connect_timeout 0\n}\n");
        find(zero, Severity.WARNING, "must be greater than 0, setting to 1");
        assertEquals(Duration.ofSeconds(1), zero.config().globalDefs().smtpConnectTimeout());
        for (String bad : new String[] {"2.5", "abc", "4295"}) {
            LoadResult r = parse("global_defs {\n smtp_connect_timeout " + bad + "\n}\n");
            assertEquals(2, find(r, Severity.WARNING, "'" + bad + "' must be in [0, 4294] - ignoring").pos().line());
            assertEquals(Duration.ofSeconds(30), r.config().globalDefs().smtpConnectTimeout());
        }
        assertEquals(Duration.ofSeconds(4294), ok("global_defs {\n smtp_connect_timeout 4294\n}\n").globalDefs().smtpConnectTimeout());
    }

    @Test
    void badServerPortMissingSenderAndEmptyRecipientListAreReported() {
        find(parse("global_defs {\n smtp_server 127.0.0.1 70000\n}\n"), Severity.ERROR, "outside the range [1, 65535]");
        find(parse("global_defs {\n smtp_server\n}\n"), Severity.ERROR, "smtp_server: missing value");
        LoadResult from = parse("global_defs {\n notification_email_from\n}\n");
        find(from, Severity.WARNING, "notification_email_from: address missing");
        assertNull(from.config().globalDefs().notificationEmailFrom());
        find(parse("global_defs {\n notification_email {\n }\n}\n"), Severity.WARNING, "empty notification_email block");
        // keepalived takes a bare smtp_helo_name silently (its -t passes): a notice only
        LoadResult helo = parse("global_defs {\n smtp_helo_name\n}\n");
        find(helo, Severity.NOTICE, "smtp_helo_name without a name");
        assertTrue(helo.diagnostics().stream().noneMatch(d -> d.severity() != Severity.NOTICE));
    }

    @Test
    void smtpKeywordsAreImplementedEverywhere() {
        for (String section : new String[] {"global_defs", "vrrp_instance", "vrrp_sync_group", "virtual_server", "real_server"}) {
            assertTrue(KeywordSupport.isImplemented(section, "smtp_alert"), section);
        }
        for (String kw : new String[] {"notification_email", "notification_email_from", "smtp_server",
                "smtp_connect_timeout", "smtp_helo_name", "smtp_alert_vrrp", "smtp_alert_checker", "no_email_faults",
                "no_checker_emails"}) {
            assertTrue(KeywordSupport.isImplemented("global_defs", kw), kw);
        }
        // and -t no longer calls them "not yet implemented"
        LoadResult r = parse(conf(" smtp_alert\n smtp_helo_name h\n no_email_faults\n", " smtp_alert\n", " smtp_alert\n",
                " smtp_alert\n", " smtp_alert\n"));
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("smtp") || d.message().contains("email")),
                () -> TestSupport.formatAll(r.diagnostics()));
    }
}

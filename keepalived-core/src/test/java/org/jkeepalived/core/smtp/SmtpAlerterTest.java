package org.jkeepalived.core.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mail keepalived's smtp_alert sends, and what happens when the mail server is not there or misbehaves. */
class SmtpAlerterTest {
    private final FakeSmtpServer server;
    private final SmtpAlerter alerter = new SmtpAlerter(() -> "node.example", () -> "root");

    SmtpAlerterTest() throws IOException {
        server = new FakeSmtpServer();
    }

    @AfterEach
    void close() throws IOException {
        alerter.close(Duration.ofSeconds(2));
        server.close();
    }

    /** global_defs pointing at 127.0.0.1:port, with these extra lines. */
    static GlobalDefs globals(int port, String extra) {
        String text = "global_defs {\n notification_email {\n  ops@example.com\n  oncall@example.com\n }\n"
                + " smtp_server 127.0.0.1 " + port + "\n smtp_connect_timeout 1\n" + extra + "}\n";
        return ConfigLoader.parse(text, "/tmp/jk-test/keepalived.conf", LoadOptions.DEFAULT).config().globalDefs();
    }

    private static GlobalDefs withTimeout(GlobalDefs g, Duration t) {
        return new GlobalDefs(g.routerId(), g.notificationEmail(), g.notificationEmailFrom(), g.smtpServer(), t,
                g.enableScriptSecurity(), g.scriptUser(), g.scriptGroup(), g.vrrpVersion(), g.vrrpStrict(),
                g.vrrpMcastGroup4(), g.vrrpMcastGroup6(), g.vrrpGarpMasterDelay(), g.vrrpGarpMasterRepeat(),
                g.vrrpGarpMasterRefresh(), g.vrrpGarpMasterRefreshRepeat(), g.vrrpGarpInterval(), g.vrrpGnaInterval(),
                g.vrrpSkipCheckAdvAddr(), g.vrrpCheckUnicastSrc(), g.lvsFlush(), g.lvsFlushOnstop(), g.lvsTimeouts(),
                g.lvsSyncDaemon(), g.notifyFifo(), g.notifyFifoScript(), g.vrrpNotifyFifo(), g.vrrpNotifyFifoScript(),
                g.lvsNotifyFifo(), g.lvsNotifyFifoScript(), g.fifoWriteVrrpStatesOnReload(), g.dynamicInterfaces(),
                g.smtpAlerts(), g.options());
    }

    private static SmtpAlerter.Outcome outcome(CompletableFuture<SmtpAlerter.Outcome> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void mailsEveryRecipientWithKeepalivedsHeadersAndDialogue() throws Exception {
        alerter.configure(globals(server.port(), " router_id LB_1\n notification_email_from keepalived@lb1.example\n"
                + " smtp_helo_name lb1.example\n"));
        SmtpAlerter.Outcome o = outcome(alerter.alert("VRRP Instance VI_1 - Entering MASTER state",
                "=> VRRP Instance is now owning VRRP VIPs <="));
        assertTrue(o.sent(), o.reason());

        FakeSmtpServer.Mail m = server.awaitMail(Duration.ofSeconds(5));
        assertNotNull(m);
        assertEquals("lb1.example", m.helo());
        assertEquals("keepalived@lb1.example", m.mailFrom());
        assertEquals(List.of("ops@example.com", "oncall@example.com"), m.rcptTo());
        assertEquals("keepalived@lb1.example", m.headers().get("From"));
        assertEquals("ops@example.com, oncall@example.com", m.headers().get("To"));
        assertEquals("[LB_1] VRRP Instance VI_1 - Entering MASTER state", m.headers().get("Subject"));
        assertEquals("Keepalived", m.headers().get("X-Mailer"));
        // RFC 822 date as keepalived writes it (local time with its offset), close to now
        ZonedDateTime date = ZonedDateTime.parse(m.headers().get("Date"),
                DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.ROOT));
        assertTrue(Math.abs(Duration.between(date, ZonedDateTime.now()).toSeconds()) < 60);
        assertEquals("=> VRRP Instance is now owning VRRP VIPs <=", m.body().strip());
        // headers in keepalived's order, plain HELO (no EHLO), one RCPT per address, QUIT at the end
        assertEquals(List.of("Date", "From", "Subject", "X-Mailer", "To"), List.copyOf(m.headers().keySet()));
        assertEquals(List.of("HELO lb1.example", "MAIL FROM:<keepalived@lb1.example>", "RCPT TO:<ops@example.com>",
                "RCPT TO:<oncall@example.com>", "DATA", "<message>", "QUIT"), server.sessions().get(0));
    }

    @Test
    void withoutRouterIdHeloOrSenderTheLocalNameIsUsed() throws Exception {
        alerter.configure(globals(server.port(), ""));
        assertTrue(outcome(alerter.alert("Virtualserver [10.0.0.1]:tcp:80 - UP", "=> Gained quorum 1+0=1 <= 1 <=")).sent());
        FakeSmtpServer.Mail m = server.awaitMail(Duration.ofSeconds(5));
        assertEquals("node.example", m.helo());
        assertEquals("root@node.example", m.mailFrom());
        assertEquals("root@node.example", m.headers().get("From"));
        assertEquals("[node.example] Virtualserver [10.0.0.1]:tcp:80 - UP", m.headers().get("Subject"));
    }

    @Test
    void nothingIsSentWithoutServerOrRecipients() throws Exception {
        GlobalDefs noRecipients = ConfigLoader.parse("global_defs {\n smtp_server 127.0.0.1 " + server.port() + "\n}\n",
                "/tmp/jk-test/keepalived.conf", LoadOptions.DEFAULT).config().globalDefs();
        alerter.configure(noRecipients);
        assertFalse(alerter.enabled());
        assertFalse(outcome(alerter.alert("x", "y")).sent());
        GlobalDefs noServer = ConfigLoader.parse("global_defs {\n notification_email {\n  a@example.com\n }\n}\n",
                "/tmp/jk-test/keepalived.conf", LoadOptions.DEFAULT).config().globalDefs();
        alerter.configure(noServer);
        assertFalse(outcome(alerter.alert("x", "y")).sent());
        assertTrue(server.sessions().isEmpty());
    }

    @Test
    void aRefusedRecipientDropsTheMailWithTheReasonAndQuits() throws Exception {
        server.reply("RCPT", 550);
        alerter.configure(globals(server.port(), " router_id R\n"));
        SmtpAlerter.Outcome o = outcome(alerter.alert("VRRP Instance VI_1 - Entering BACKUP state", "b"));
        assertFalse(o.sent());
        assertTrue(o.reason().contains("SMTP server 127.0.0.1:" + server.port() + " answered RCPT with 550"), o.reason());
        assertNull(server.awaitMail(Duration.ofMillis(200)));
        List<String> dialogue = server.sessions().get(0);
        assertEquals("QUIT", dialogue.get(dialogue.size() - 1));
        assertFalse(dialogue.contains("DATA"));
    }

    @Test
    void aMailTheServerAcceptedIsSentEvenIfItThenHangsOnQuit() throws Exception {
        server.reply("QUIT", -1);
        alerter.configure(withTimeout(globals(server.port(), ""), Duration.ofMillis(300)));
        SmtpAlerter.Outcome o = outcome(alerter.alert("accepted", "b"));
        assertTrue(o.sent(), o.reason());
        assertNotNull(server.awaitMail(Duration.ofSeconds(2)));
    }

    @Test
    void aRejectedMessageIsReported() throws Exception {
        server.reply("BODY", 554);
        alerter.configure(globals(server.port(), ""));
        SmtpAlerter.Outcome o = outcome(alerter.alert("s", "b"));
        assertFalse(o.sent());
        assertTrue(o.reason().contains("answered BODY with 554"), o.reason());
    }

    @Test
    void aRefusedConnectionIsReportedAndTheNextMailStillGoesOut() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        alerter.configure(globals(closedPort, ""));
        long t0 = System.nanoTime();
        CompletableFuture<SmtpAlerter.Outcome> f = alerter.alert("s", "b");
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(200), "alert() must not wait for the server");
        SmtpAlerter.Outcome o = outcome(f);
        assertFalse(o.sent());
        assertTrue(o.reason().startsWith("cannot connect to SMTP server 127.0.0.1:" + closedPort), o.reason());

        alerter.configure(globals(server.port(), ""));
        assertTrue(outcome(alerter.alert("after", "b")).sent());
    }

    @Test
    void aHungServerCostsOneTimeoutPerMailAndNeverTheCaller() throws Exception {
        server.silent();
        Duration timeout = Duration.ofMillis(300);
        alerter.configure(withTimeout(globals(server.port(), ""), timeout));
        long t0 = System.nanoTime();
        CompletableFuture<SmtpAlerter.Outcome> first = alerter.alert("first", "b");
        CompletableFuture<SmtpAlerter.Outcome> second = alerter.alert("second", "b");
        long queued = System.nanoTime() - t0;
        assertTrue(queued < TimeUnit.MILLISECONDS.toNanos(100), "queueing took " + queued / 1_000_000 + " ms");

        SmtpAlerter.Outcome o = outcome(first);
        long took = System.nanoTime() - t0;
        assertFalse(o.sent());
        assertTrue(o.reason().startsWith("SMTP server 127.0.0.1:" + server.port() + " did not answer"), o.reason());
        assertTrue(took >= timeout.toNanos() && took < timeout.toNanos() + TimeUnit.SECONDS.toNanos(3),
                "first mail gave up after " + took / 1_000_000 + " ms");
        // the next one waits its turn and is bounded the same way
        assertFalse(outcome(second).sent());
    }

    @Test
    void alertsGoOutInTheOrderTheyCame() throws Exception {
        alerter.configure(globals(server.port(), " router_id R\n"));
        CompletableFuture<?>[] all = new CompletableFuture<?>[5];
        for (int i = 0; i < all.length; i++) all[i] = alerter.alert("alert " + i, "b");
        CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < all.length; i++) {
            assertEquals("[R] alert " + i, server.awaitMail(Duration.ofSeconds(2)).headers().get("Subject"));
        }
    }

    @Test
    void closeSendsWhatIsQueuedWithinItsGrace() throws Exception {
        alerter.configure(globals(server.port(), " router_id R\n"));
        for (int i = 0; i < 3; i++) alerter.alert("stopping " + i, "=> VRRP Instance stopping <=");
        alerter.close(Duration.ofSeconds(5));
        assertEquals(3, server.pending());
        assertFalse(outcome(alerter.alert("after close", "b")).sent());
    }

    @Test
    void aBodyLineStartingWithADotIsStuffed() {
        SmtpAlerter.Mail m = new SmtpAlerter.Mail("h", 25, Duration.ofSeconds(1), "helo", "f@x", List.of("t@x"), "s",
                "line\n.hidden", ZonedDateTime.now());
        assertTrue(SmtpAlerter.message(m).contains("\r\nline\r\n..hidden\r\n\r\n.\r\n"));
    }
}

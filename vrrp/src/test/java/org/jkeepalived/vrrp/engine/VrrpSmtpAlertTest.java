package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.jkeepalived.core.smtp.FakeSmtpServer;
import org.jkeepalived.core.smtp.SmtpAlerter;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.vrrp.fsm.Action;
import org.jkeepalived.vrrp.track.VrrpSmtpNotifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** VRRP transitions mailed as keepalived 2.2.7 mails them, through a real engine and a fake mail server on loopback. */
class VrrpSmtpAlertTest {
    private final FakeSmtpServer server;
    private final SmtpAlerter alerter = new SmtpAlerter(() -> "node.example", () -> "root");
    private final VrrpSmtpNotifier notifier = new VrrpSmtpNotifier(alerter);
    private final List<VrrpEngine> engines = new ArrayList<>();
    private final AtomicLong slowestNotifyNanos = new AtomicLong();

    VrrpSmtpAlertTest() throws Exception {
        server = new FakeSmtpServer();
    }

    @AfterEach
    void close() throws Exception {
        for (VrrpEngine e : engines) e.stop();
        alerter.close(Duration.ofSeconds(2));
        server.close();
    }

    private KeepalivedConfig config(String globals, String instanceExtra, String groupExtra) {
        String text = "global_defs {\n router_id LB_1\n notification_email {\n  ops@example.com\n  noc@example.com\n }\n"
                + " notification_email_from lb1@example.com\n smtp_server 127.0.0.1 " + server.port() + "\n"
                + " smtp_connect_timeout 1\n" + globals + "}\n"
                + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 150\n advert_int 0.05\n"
                + " version 3\n virtual_ipaddress {\n  10.0.0.100/24\n }\n" + instanceExtra + "}\n"
                + "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n priority 150\n advert_int 0.05\n"
                + " version 3\n virtual_ipaddress {\n  10.0.0.101/24\n }\n" + instanceExtra + "}\n"
                + "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n" + groupExtra + "}\n";
        LoadResult r = ConfigLoader.parse(text, "/tmp/jk-test/keepalived.conf", LoadOptions.DEFAULT);
        assertNotNull(r.config(), r.diagnostics().toString());
        return r.config();
    }

    /** An engine whose notifications go to the mailer, as the daemon wires it; times each call. */
    private VrrpEngine start(KeepalivedConfig cfg) throws Exception {
        alerter.configure(cfg.globalDefs());
        notifier.configure(cfg);
        FakeNetIo io = new FakeNetIo("a", new FakeNetIo.Wire()).iface("eth0", 2, "10.0.0.1/24");
        EngineListener l = new EngineListener() {
            @Override public void onNotify(Action.Notify n) {
                long t0 = System.nanoTime();
                notifier.onNotify(n);
                slowestNotifyNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
            }
        };
        VrrpEngine e = VrrpEngine.start(cfg, io, MonotonicClock.SYSTEM, l, null, null);
        engines.add(e);
        return e;
    }

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    private List<String> subjects(int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FakeSmtpServer.Mail m = server.awaitMail(Duration.ofSeconds(5));
            assertNotNull(m, "mail " + (i + 1) + " of " + n + " after " + out);
            out.add(m.headers().get("Subject") + " | " + m.body().strip());
        }
        return out;
    }

    /** Every mail until the server has been quiet for a while, as "subject | body". */
    private List<String> drain() throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (FakeSmtpServer.Mail m; (m = server.awaitMail(Duration.ofMillis(700))) != null; ) {
            got.add(m.headers().get("Subject") + " | " + m.body().strip());
        }
        return got;
    }

    private static final String VI1_BACKUP =
            "[LB_1] VRRP Instance VI_1 - Entering BACKUP state | => VRRP Instance is no longer owning VRRP VIPs <=";
    private static final String VI1_MASTER =
            "[LB_1] VRRP Instance VI_1 - Entering MASTER state | => VRRP Instance is now owning VRRP VIPs <=";
    private static final String G1_BACKUP =
            "[LB_1] VRRP Group G1 - Entering BACKUP state | => All VRRP group instances are now in BACKUP state <=";
    private static final String G1_MASTER =
            "[LB_1] VRRP Group G1 - Entering MASTER state | => All VRRP group instances are now in MASTER state <=";

    @Test
    void instanceAndGroupTransitionsAreMailedAsTheyAreNotified() throws Exception {
        VrrpEngine e = start(config(" smtp_alert\n", "", ""));
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "both master");
        // a mail where a notify script runs: each instance and the group, BACKUP at start, then MASTER
        List<String> got = drain();
        assertEquals(6, got.size(), got.toString());
        assertTrue(got.containsAll(List.of(VI1_BACKUP, VI1_MASTER, G1_BACKUP, G1_MASTER,
                VI1_BACKUP.replace("VI_1", "VI_2"), VI1_MASTER.replace("VI_1", "VI_2"))), got.toString());
        assertTrue(got.indexOf(VI1_BACKUP) < got.indexOf(VI1_MASTER), "in the order of the transitions: " + got);
        assertTrue(got.indexOf(G1_BACKUP) < got.indexOf(G1_MASTER), "in the order of the transitions: " + got);
        e.stop();
        List<String> stop = drain();
        assertEquals(List.of("[LB_1] VRRP Instance VI_1 - Stopping | => VRRP Instance stopping <=",
                "[LB_1] VRRP Instance VI_2 - Stopping | => VRRP Instance stopping <=",
                "[LB_1] VRRP Group G1 - Stopping | => All VRRP group instances are now stopping <="),
                stop.stream().sorted(java.util.Comparator.comparing(x -> x.contains("Group"))).toList());
    }

    @Test
    void recipientsAndSenderOfAVrrpMail() throws Exception {
        VrrpEngine e = start(config(" smtp_alert_vrrp\n", "", ""));
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "both master");
        FakeSmtpServer.Mail m = server.awaitMail(Duration.ofSeconds(5));
        assertNotNull(m);
        assertEquals(List.of("ops@example.com", "noc@example.com"), m.rcptTo());
        assertEquals("lb1@example.com", m.mailFrom());
        assertEquals("lb1@example.com", m.headers().get("From"));
        assertEquals("ops@example.com, noc@example.com", m.headers().get("To"));
        assertEquals("node.example", m.helo());
    }

    @Test
    void perObjectSmtpAlertOverridesTheGlobalDefault() throws Exception {
        // global smtp_alert on, the group's own off: the instances mail, the group does not
        VrrpEngine e = start(config(" smtp_alert\n", "", " smtp_alert off\n"));
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "both master");
        List<String> got = drain();
        assertEquals(4, got.size(), got.toString());
        assertTrue(got.stream().allMatch(x -> x.contains("VRRP Instance")), got.toString());

        // global off, the instances' own on (smtp_alert_vrrp beats smtp_alert; the object beats both)
        for (VrrpEngine old : engines) old.stop();
        drain();
        VrrpEngine e2 = start(config(" smtp_alert_vrrp off\n smtp_alert on\n", " smtp_alert\n", ""));
        await(() -> e2.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "both master");
        List<String> own = drain();
        assertEquals(4, own.size(), own.toString());
        assertTrue(own.stream().allMatch(x -> x.contains("VRRP Instance")), own.toString());
    }

    @Test
    void smtpAlertOffEverywhereMailsNothing() throws Exception {
        VrrpEngine e = start(config(" smtp_alert_vrrp off\n smtp_alert on\n", "", ""));
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "both master");
        e.stop();
        assertNull(server.awaitMail(Duration.ofMillis(500)));
        assertTrue(server.sessions().isEmpty());
    }

    @Test
    void aHungMailServerDoesNotSlowTheEngine() throws Exception {
        server.silent();
        VrrpEngine e = start(config(" smtp_alert\n", "", ""));
        long t0 = System.nanoTime();
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "both master");
        // adverts every 50 ms: master after 3 intervals + skew, nowhere near the mail server's 1 s timeout per mail
        assertTrue(System.nanoTime() - t0 < Duration.ofMillis(900).toNanos(), "master took "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(slowestNotifyNanos.get() < Duration.ofMillis(50).toNanos(),
                "a notification waited " + slowestNotifyNanos.get() / 1_000_000 + " ms for the mail");
    }

    @Test
    void noEmailFaultsAndOneMailPerState() {
        KeepalivedConfig cfg = config(" smtp_alert\n no_email_faults\n", "", "");
        alerter.configure(cfg.globalDefs());
        notifier.configure(cfg);
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.FAULT, 150));
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.BACKUP, 150));
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.BACKUP, 150));
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.INIT, 150));
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.MASTER, 150));
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.FAULT, 150));
        notifier.onNotify(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.BACKUP, 150));
        try {
            assertEquals(List.of(
                    "[LB_1] VRRP Instance VI_1 - Entering BACKUP state | => VRRP Instance is no longer owning VRRP VIPs <=",
                    "[LB_1] VRRP Instance VI_1 - Entering MASTER state | => VRRP Instance is now owning VRRP VIPs <=",
                    "[LB_1] VRRP Instance VI_1 - Entering BACKUP state | => VRRP Instance is no longer owning VRRP VIPs <="),
                    subjects(3));
            assertNull(server.awaitMail(Duration.ofMillis(300)));
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}

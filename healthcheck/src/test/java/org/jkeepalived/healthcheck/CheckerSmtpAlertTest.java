package org.jkeepalived.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.jkeepalived.core.smtp.FakeSmtpServer;
import org.jkeepalived.core.smtp.SmtpAlerter;
import org.jkeepalived.core.time.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real server and quorum changes mailed as keepalived 2.2.7's checkers mail them, to a fake mail server on loopback. */
class CheckerSmtpAlertTest {
    private final FakeClock clock = new FakeClock();
    private final ManualScheduler sched = new ManualScheduler(clock);
    /** Answers per "address checker-keyword" (a real server may have several checkers); ok unless set. */
    private final Map<String, Boolean> answers = new HashMap<>();
    private final FakeSmtpServer server;
    private final SmtpAlerter alerter = new SmtpAlerter(() -> "node.example", () -> "root");
    private HealthcheckService svc;

    CheckerSmtpAlertTest() throws Exception {
        server = new FakeSmtpServer();
    }

    @AfterEach
    void close() throws Exception {
        if (svc != null) svc.close();
        alerter.close(Duration.ofSeconds(2));
        server.close();
    }

    private final ProbeFactory probes = target -> new Probe() {
        final String key = target.realServer().address().getHostAddress() + " " + target.checker().keyword();

        @Override public CompletableFuture<CheckResult> check() {
            boolean ok = answers.getOrDefault(key, true);
            return CompletableFuture.completedFuture(ok ? CheckResult.ok("ok") : CheckResult.fail("timeout", "failed"));
        }

        @Override public String type() {
            return target.checker().keyword();
        }
    };

    private KeepalivedConfig config(String globals, String vsExtra, String rs2Extra) {
        String check = "  TCP_CHECK {\n   connect_timeout 1\n   retry 0\n  }\n";
        String text = "global_defs {\n router_id LB_1\n notification_email {\n  ops@example.com\n  noc@example.com\n }\n"
                + " notification_email_from lb1@example.com\n smtp_server 127.0.0.1 " + server.port() + "\n"
                + " smtp_connect_timeout 1\n" + globals + "}\n"
                + "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n delay_loop 10\n" + vsExtra
                + " real_server 10.0.0.2 80 {\n" + check + " }\n"
                + " real_server 10.0.0.3 80 {\n" + rs2Extra + check + " }\n}\n";
        LoadResult r = ConfigLoader.parse(text, "/tmp/jk-test/keepalived.conf", LoadOptions.DEFAULT);
        assertNotNull(r.config(), r.diagnostics().toString());
        return r.config();
    }

    private void start(KeepalivedConfig cfg) {
        alerter.configure(cfg.globalDefs());
        svc = HealthcheckService.builder(cfg).scheduler(sched).probeFactory(probes).clock(clock).random(new Random(7))
                .smtpAlerter(alerter).build();
        svc.start();
        sched.runDue();
    }

    /** Every check runs once more (delay_loop 10 s). */
    private void nextRound() {
        sched.advance(Duration.ofSeconds(10));
        sched.runDue();
    }

    private List<String> drain() throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (FakeSmtpServer.Mail m; (m = server.awaitMail(Duration.ofMillis(500))) != null; ) {
            got.add(m.headers().get("Subject") + " | " + m.body().strip());
        }
        return got;
    }

    private static final String RS2 = "[LB_1] Realserver [10.0.0.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - ";

    @Test
    void aRealServerGoingDownAndUpIsMailedByDefault() throws Exception {
        // no smtp_alert anywhere: keepalived 2.2.7 still mails real server changes (and nothing else)
        start(config("", "", ""));
        nextRound();
        answers.put("10.0.0.3 TCP_CHECK", false);
        nextRound();
        FakeSmtpServer.Mail down = server.awaitMail(Duration.ofSeconds(5));
        assertNotNull(down);
        assertEquals("[LB_1] Realserver [10.0.0.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN",
                down.headers().get("Subject"));
        assertEquals("=> TCP CHECK failed on service <=", down.body().strip());
        assertEquals(List.of("ops@example.com", "noc@example.com"), down.rcptTo());
        assertEquals("lb1@example.com", down.headers().get("From"));
        assertEquals("ops@example.com, noc@example.com", down.headers().get("To"));

        answers.put("10.0.0.3 TCP_CHECK", true);
        nextRound();
        assertEquals(List.of(RS2 + "UP | => TCP CHECK succeed on service <="), drain());
    }

    @Test
    void quorumChangesAreMailedWhenTheVirtualServerAlerts() throws Exception {
        start(config(" smtp_alert_checker\n", " quorum 2\n", ""));
        assertEquals(List.of("[LB_1] Virtualserver [10.0.0.1]:tcp:80 - UP | => Starting with quorum up 2+0=2 <= 2 <="),
                drain());
        answers.put("10.0.0.3 TCP_CHECK", false);
        nextRound();
        // the quorum is decided as the real server leaves, before its checker mails (keepalived's order too)
        assertEquals(List.of("[LB_1] Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Lost quorum 2+0=2 <= 1 <=",
                RS2 + "DOWN | => TCP CHECK failed on service <="), drain());
        answers.put("10.0.0.3 TCP_CHECK", true);
        nextRound();
        assertEquals(List.of("[LB_1] Virtualserver [10.0.0.1]:tcp:80 - UP | => Gained quorum 2+0=2 <= 2 <=",
                RS2 + "UP | => TCP CHECK succeed on service <="), drain());
    }

    @Test
    void smtpAlertOffSilencesAndPerObjectOnOverrides() throws Exception {
        // the checker default off; real server 10.0.0.3 says on
        start(config(" smtp_alert_checker off\n smtp_alert on\n", "", "  smtp_alert on\n"));
        answers.put("10.0.0.2 TCP_CHECK", false);
        answers.put("10.0.0.3 TCP_CHECK", false);
        nextRound();
        assertEquals(List.of(RS2 + "DOWN | => TCP CHECK failed on service <="), drain());
        assertTrue(server.sessions().size() == 1, "10.0.0.2 and the virtual server mail nothing");
    }

    @Test
    void noCheckerEmailsMailsOnlyWhenTheRealServerChanges() throws Exception {
        String twoCheckers = "  PING_CHECK {\n   retry 0\n  }\n";
        for (boolean quiet : new boolean[] {false, true}) {
            start(config(quiet ? " no_checker_emails\n" : "", "", twoCheckers));
            nextRound();
            answers.put("10.0.0.3 TCP_CHECK", false);
            nextRound();
            answers.put("10.0.0.3 PING_CHECK", false);
            nextRound();
            List<String> got = drain();
            List<String> want = new ArrayList<>(List.of(RS2 + "DOWN | => TCP CHECK failed on service <="));
            // the second checker failing changes nothing for the real server: mailed unless no_checker_emails
            if (!quiet) want.add(RS2 + "DOWN | => ICMP CHECK failed on service <=");
            assertEquals(want, got, quiet ? "with no_checker_emails" : "without");
            svc.close();
            svc = null;
            answers.clear();
        }
    }

    @Test
    void omegaStopMailsTheLiveServersAndTheVirtualServerDown() throws Exception {
        start(config(" smtp_alert\n", " omega\n", ""));
        drain(); // Starting with quorum up
        svc.close();
        svc = null;
        List<String> got = drain();
        assertEquals(List.of(
                "[LB_1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN | => Shutting down <=",
                RS2 + "DOWN | => Shutting down <=",
                "[LB_1] Virtualserver [10.0.0.1]:tcp:80 - DOWN | => Shutting down <="), got);
    }

    @Test
    void aHungMailServerNeverHoldsUpTheCheckers() throws Exception {
        server.silent();
        start(config(" smtp_alert\n", "", ""));
        for (int i = 0; i < 6; i++) {
            answers.put("10.0.0.3 TCP_CHECK", i % 2 == 1);
            long t0 = System.nanoTime();
            nextRound();
            long took = System.nanoTime() - t0;
            assertTrue(took < Duration.ofMillis(200).toNanos(), "a round took " + took / 1_000_000 + " ms");
        }
        // and the decisions were made all the same
        assertTrue(svc.status().stream().anyMatch(s -> s.address().getHostAddress().equals("10.0.0.3") && s.alive()));
    }
}

package org.jkeepalived.healthcheck;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.config.VirtualServerGroup;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.TableChange;
import org.jkeepalived.core.time.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decisions end to end with scripted probes and a fake clock: exact timings, no sockets. */
class HealthcheckServiceTest {
    final FakeClock clock = new FakeClock();
    final ManualScheduler sched = new ManualScheduler(clock);
    final ScriptedProbes probes = new ScriptedProbes(clock);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<TableChange> changes = new ArrayList<>();
    final List<Long> changeTimesMs = new ArrayList<>();
    HealthcheckService svc;

    static final ServiceKey VS = ServiceKey.of(L4Protocol.TCP, ip("10.0.0.1"), 80);

    ProbeFactory probeFactory;

    HealthcheckService start(KeepalivedConfig cfg) {
        svc = HealthcheckService.builder(cfg).scheduler(sched).probeFactory(probeFactory != null ? probeFactory : probes).clock(clock)
                .random(new Random(7)).meterRegistry(registry)
                .listener(c -> {
                    changes.add(c);
                    changeTimesMs.add(clock.nanoTime() / 1_000_000);
                }).build();
        svc.start();
        sched.runDue();
        return svc;
    }

    /** Every test: the change stream, folded, is exactly the snapshot (the driver may use either). */
    @AfterEach void changeStreamMatchesSnapshot() {
        if (svc == null) return;
        org.jkeepalived.core.table.DesiredTable folded = org.jkeepalived.core.table.DesiredTable.EMPTY;
        for (TableChange c : changes) folded = folded.apply(c);
        var snapshot = svc.desiredTable();
        assertEquals(snapshot.services().size(), folded.services().size());
        for (var s : snapshot.services()) {
            var f = folded.service(s.key()).orElseThrow();
            assertEquals(new java.util.HashSet<>(s.destinations()), new java.util.HashSet<>(f.destinations()), s.key().toString());
            assertEquals(s.serviceOnly(), f.serviceOnly());
        }
        svc.close();
    }

    static Checker tcp(String ip, int retry, int delayBeforeRetryS, int delayLoopS, boolean alpha) {
        return Fixtures.tcp(common(ip, 80, Duration.ofSeconds(1), retry, Duration.ofSeconds(delayBeforeRetryS),
                Duration.ofSeconds(delayLoopS), alpha));
    }

    /** A reload as the daemon does it: a new set inheriting from the running one, which then closes. */
    HealthcheckService reload(HealthcheckService first, KeepalivedConfig cfg) {
        changes.clear();
        HealthcheckService second = HealthcheckService.builder(cfg).scheduler(sched).probeFactory(probes)
                .clock(clock).random(new Random(7)).meterRegistry(new SimpleMeterRegistry()).inheritFrom(first)
                .listener(changes::add).build();
        first.closeReplacedBy(second);
        svc = second;
        second.start();
        return second;
    }

    Destination dest(String ip) {
        return svc.desiredTable().service(VS).orElseThrow().destinations().stream()
                .filter(d -> d.address().equals(ip(ip))).findFirst().orElse(null);
    }

    @Test void retryAndDelayBeforeRetryCountedExactly() {
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 2, 3, 10, false)))));
        assertInstanceOf(TableChange.AddService.class, changes.get(0));
        assertEquals(1, ((TableChange.AddService) changes.get(0)).definition().destinations().size(),
                "non-alpha: in the table from the start");
        probes.set("10.0.0.2:80", false); // after the first check (at 0, passed)
        sched.advance(Duration.ofSeconds(40));
        // checks every delay_loop; the failing one at 10 s, two retries 3 s apart, then down; then every
        // delay_loop, each with its retries again (keepalived's TCP_CHECK retries while down too)
        assertEquals(List.of(0L, 10000L, 13000L, 16000L, 26000L, 29000L, 32000L), probes.callsMillis("10.0.0.2:80"));
        TableChange last = changes.get(changes.size() - 1);
        assertInstanceOf(TableChange.RemoveDestination.class, last);
        assertEquals("Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80",
                ((TableChange.RemoveDestination) last).reason());
        assertEquals(16000L, changeTimesMs.get(changes.size() - 1));
        assertNull(dest("10.0.0.2"));
        // recovery: up at the next check, no rise count
        probes.set("10.0.0.2:80", true);
        sched.advance(Duration.ofSeconds(10));
        assertNotNull(dest("10.0.0.2"));
        assertEquals(42000L, changeTimesMs.get(changes.size() - 1));
        var st = svc.status().get(0);
        assertTrue(st.alive());
        assertEquals("TCP connection to 10.0.0.2:80 failed.", st.lastFailure());
    }

    @Test void aServerDeadAtStartIsDownAtItsFirstFailedCheck() {
        // keepalived starts checkers with their retries spent: no retry * delay_before_retry of
        // traffic to a dead server at start
        probes.set("10.0.0.2:80", false);
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 2, 3, 10, false)))));
        assertNull(dest("10.0.0.2"));
        assertEquals(0L, changeTimesMs.get(changes.size() - 1));
        sched.advance(Duration.ofSeconds(25));
        // down at once; from then on each delay_loop check is retried (TCP_CHECK, as keepalived's)
        assertEquals(List.of(0L, 10000L, 13000L, 16000L), probes.callsMillis("10.0.0.2:80"));
    }

    @Test void checksKeepTheirCadenceAndSlowOnesWaitForTheNextSlot() {
        // fast answer (300 ms): due every delay_loop from the first, not delay_loop after each answer
        probes.answerAfter("10.0.0.2:80", Duration.ofMillis(300), sched);
        // slow answer (7 s of a 10 s delay_loop): at least half a delay_loop after it, on the 10 s grid
        probes.answerAfter("10.0.0.3:80", Duration.ofSeconds(7), sched);
        // failing, retry 1 after 3 s: the retry waits delay_before_retry after the answer
        probes.set("10.0.0.4:80", false);
        probes.answerAfter("10.0.0.4:80", Duration.ofMillis(300), sched);
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 0, 1, 10, false)),
                rs("10.0.0.3", 80, 1, tcp("10.0.0.3", 0, 1, 10, false)),
                rs("10.0.0.4", 80, 1, tcp("10.0.0.4", 1, 3, 10, false)))));
        sched.advance(Duration.ofSeconds(45));
        assertEquals(List.of(0L, 10000L, 20000L, 30000L, 40000L), probes.callsMillis("10.0.0.2:80"));
        assertEquals(List.of(0L, 20000L, 40000L), probes.callsMillis("10.0.0.3:80"));
        // failing from the start: down at the first answer (no retry at start); then each check is
        // retried once after delay_before_retry from its answer (TCP_CHECK retries while down)
        assertEquals(List.of(0L, 10000L, 13300L, 23300L, 26600L, 36600L, 39900L), probes.callsMillis("10.0.0.4:80"));
        assertNull(dest("10.0.0.4"));
    }

    @Test void alphaStartsDownUntilProvenUp() {
        probes.set("10.0.0.2:80", false);
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 1, 2, 10, true)))));
        TableChange.AddService add = (TableChange.AddService) changes.get(0);
        assertTrue(add.definition().destinations().isEmpty(), "alpha: not in the initial table");
        sched.advance(Duration.ofSeconds(15));
        assertNull(dest("10.0.0.2"));
        probes.set("10.0.0.2:80", true);
        sched.advance(Duration.ofSeconds(10));
        assertNotNull(dest("10.0.0.2"));
    }

    @Test void warmupDelaysTheFirstCheckRandomly() {
        Checker c = Fixtures.tcp(new org.jkeepalived.core.config.CheckerCommon(ip("10.0.0.2"), 80, null, null, null,
                null, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(10),
                false, false));
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, c))));
        long expected = (long) (new Random(7).nextDouble() * 4_000_000_000L) / 1_000_000;
        sched.advance(Duration.ofSeconds(4));
        assertEquals(List.of(expected), probes.callsMillis("10.0.0.2:80"));
    }

    @Test void allCheckersMustPass() {
        int[] n = {0};
        probes.set("10.0.0.2:80", () -> n[0]++ % 2 == 0 ? CheckResult.ok("ok") : CheckResult.fail("script_exit", "misc failed"));
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 0, 1, 10, false),
                new Checker.MiscCheck(common("10.0.0.2", 80), script("/bin/true"), Duration.ofSeconds(1), false)))));
        sched.advance(Duration.ofSeconds(1));
        assertNull(dest("10.0.0.2"), "one of two checkers failing takes the server out");
    }

    @Test void quorumLossBringsSorryServerAndRecoveryRestores() {
        RealServer sorry = rs("10.0.0.9", 80, 1);
        VirtualServer v = vs("10.0.0.1", 80, 2, 0, sorry, null, null, false, false,
                rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 0, 1, 10, false)),
                rs("10.0.0.3", 80, 1, tcp("10.0.0.3", 0, 1, 10, false)));
        start(config(v));
        List<String> events = new ArrayList<>(); // what notify_fifo / lvs_notify_fifo are told
        svc.addListener(new HealthcheckListener() {
            @Override public void onChange(TableChange change) {
            }

            @Override public void onRealServer(String vs, String rs, boolean up) {
                events.add("RS " + rs + " " + vs + (up ? " UP" : " DOWN"));
            }

            @Override public void onQuorum(String vs, boolean up) {
                events.add("VS " + vs + (up ? " UP" : " DOWN"));
            }
        });
        assertNotNull(dest("10.0.0.2"));
        assertNotNull(dest("10.0.0.3"));
        assertNull(dest("10.0.0.9"), "sorry server out while quorum holds");
        assertTrue(svc.quorumUp(VS));
        probes.set("10.0.0.3:80", false);
        sched.advance(Duration.ofSeconds(10));
        assertFalse(svc.quorumUp(VS));
        assertNotNull(dest("10.0.0.9"), "sorry server in");
        assertNull(dest("10.0.0.2"), "real servers out while the sorry server serves");
        assertNull(dest("10.0.0.3"));
        assertEquals(0.0, registry.get(HealthcheckMetrics.VS_QUORUM_UP).gauge().value());
        probes.set("10.0.0.3:80", true);
        sched.advance(Duration.ofSeconds(10));
        assertTrue(svc.quorumUp(VS));
        assertNull(dest("10.0.0.9"));
        assertNotNull(dest("10.0.0.2"));
        assertNotNull(dest("10.0.0.3"));
        assertEquals(1.0, registry.get(HealthcheckMetrics.VS_QUORUM_UP).gauge().value());
        var sorryStatus = svc.status().stream().filter(s -> s.address().equals(ip("10.0.0.9"))).findFirst().orElseThrow();
        assertFalse(sorryStatus.inTable());
        assertEquals(List.of("RS [10.0.0.3]:tcp:80 [10.0.0.1]:tcp:80 DOWN", "VS [10.0.0.1]:tcp:80 DOWN",
                "RS [10.0.0.3]:tcp:80 [10.0.0.1]:tcp:80 UP", "VS [10.0.0.1]:tcp:80 UP"), events);
    }

    @Test void inhibitOnFailureGivesWeightZero() {
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 5, true, null, null, tcp("10.0.0.2", 0, 1, 10, false)))));
        assertEquals(5, dest("10.0.0.2").weight());
        probes.set("10.0.0.2:80", false);
        sched.advance(Duration.ofSeconds(10));
        assertEquals(0, dest("10.0.0.2").weight(), "kept in the table at weight 0");
        TableChange.UpsertDestination u = (TableChange.UpsertDestination) changes.get(changes.size() - 1);
        assertEquals("Disabling service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80", u.reason());
        probes.set("10.0.0.2:80", true);
        sched.advance(Duration.ofSeconds(10));
        assertEquals(5, dest("10.0.0.2").weight());
        assertEquals(1.0, registry.get(HealthcheckMetrics.RS_UP).tag("rs", "[10.0.0.2]:tcp:80").gauge().value());
    }

    @Test void miscDynamicChangesTheWeight() {
        // the misc probe reports exit 12 -> weight 10, as a delta to the configured 3
        probes.set("10.0.0.2:80", () -> CheckResult.ok("exit 12", 10 - 3));
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 3,
                new Checker.MiscCheck(common("10.0.0.2", 80), script("/bin/true"), Duration.ofSeconds(1), true)))));
        sched.advance(Duration.ofSeconds(1));
        assertEquals(10, dest("10.0.0.2").weight());
        TableChange.UpsertDestination u = (TableChange.UpsertDestination) changes.get(changes.size() - 1);
        assertEquals("Changing weight from 3 to 10 for service [10.0.0.2]:tcp:80 of VS [10.0.0.1]:tcp:80", u.reason());
        assertEquals(10.0, registry.get(HealthcheckMetrics.RS_WEIGHT).gauge().value());
    }

    @Test void miscDynamicWeightComesBackOnExitZeroGoesOnFailureAndSurvivesAReload() {
        // keepalived: exit 0 puts the configured weight back, a failure (retries used) drops the
        // dynamic part, and a reload keeps it (a drained server stays drained)
        java.util.concurrent.atomic.AtomicReference<CheckResult> next = new java.util.concurrent.atomic.AtomicReference<>(
                CheckResult.ok("exit 2", -3));
        probes.set("10.0.0.2:80", next::get);
        KeepalivedConfig cfg = config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 3,
                new Checker.MiscCheck(common("10.0.0.2", 80), script("/bin/true"), Duration.ofSeconds(1), true))));
        HealthcheckService first = start(cfg);
        sched.advance(Duration.ofSeconds(1));
        assertEquals(0, dest("10.0.0.2").weight(), "exit 2: weight 0, drained");
        // reload while drained: still weight 0 in the new table
        reload(first, cfg);
        TableChange.AddService add = (TableChange.AddService) changes.get(0);
        assertEquals(0, add.definition().destinations().get(0).weight(), "the reload keeps it drained");
        next.set(CheckResult.ok("exit 0", 0));
        sched.advance(Duration.ofSeconds(2));
        assertEquals(3, dest("10.0.0.2").weight(), "exit 0: the configured weight again");
        next.set(CheckResult.ok("exit 12", 7));
        sched.advance(Duration.ofSeconds(10)); // delay_loop
        assertEquals(10, dest("10.0.0.2").weight());
    }

    @Test void haSuspendPausesChecks() {
        VirtualServer v = vs("10.0.0.1", 80, 1, 0, null, null, null, false, true,
                rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 0, 1, 10, false)));
        start(config(v));
        assertEquals(List.of(VS), svc.haSuspendServices());
        assertEquals(1, probes.callsMillis("10.0.0.2:80").size());
        svc.suspend(VS);
        sched.advance(Duration.ofSeconds(35));
        assertEquals(1, probes.callsMillis("10.0.0.2:80").size(), "no checks while suspended");
        svc.resume(VS);
        sched.runDue();
        assertEquals(List.of(0L, 35000L), probes.callsMillis("10.0.0.2:80"));
    }

    @Test void bfdCheckStartsDownAndFollowsItsSessionAtOnce() {
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Runnable> wake = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ProbeFactory f = t -> !(t.checker() instanceof Checker.BfdCheck) ? probes.create(t) : new Probe() {
            @Override public java.util.concurrent.CompletableFuture<CheckResult> check() {
                calls.incrementAndGet();
                return java.util.concurrent.CompletableFuture.completedFuture(
                        up.get() ? CheckResult.ok("bfd up") : CheckResult.fail("bfd_down", "bfd down"));
            }

            @Override public String type() { return "BFD_CHECK"; }

            @Override public void onWake(Runnable w) { wake.set(w); }
        };
        probeFactory = f;
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, new Checker.BfdCheck(null, "bfd1")))));
        TableChange.AddService add = (TableChange.AddService) changes.get(0);
        assertTrue(add.definition().destinations().isEmpty(), "a BFD session starts Down: so does the real server");
        sched.advance(Duration.ofMillis(2500));
        assertNull(dest("10.0.0.2"));
        int polled = calls.get();
        assertTrue(polled >= 3, "checked every second meanwhile: " + polled);
        up.set(true);
        wake.get().run();
        sched.runDue();
        assertNotNull(dest("10.0.0.2"), "up at the session's word, not at the next delay_loop");
        assertEquals(2500L, changeTimesMs.get(changes.size() - 1));
        sched.advance(Duration.ofMillis(300));
        up.set(false);
        wake.get().run();
        sched.runDue();
        assertNull(dest("10.0.0.2"));
        assertEquals(2800L, changeTimesMs.get(changes.size() - 1));
        var st = svc.status().get(0);
        assertEquals("DOWN", st.checkers().get(0).state());
        assertEquals("bfd_down", st.checkers().get(0).lastReason());
    }

    @Test void groupExpandsToSeveralServices() {
        VirtualServerGroup g = new VirtualServerGroup("G", List.of(
                new VirtualServerGroup.Entry(ip("10.0.0.1"), ip("10.0.0.3"), 80, null, null),
                new VirtualServerGroup.Entry(null, null, 0, 7, null)));
        VirtualServer v = groupVs("G", 80, rs("10.0.1.2", 80, 1, tcp("10.0.1.2", 0, 1, 10, false)));
        start(config(List.of(g), List.of(), v));
        assertEquals(4, svc.desiredTable().services().size());
        assertTrue(svc.desiredTable().service(ServiceKey.fwmark(7, false)).isPresent());
        probes.set("10.0.1.2:80", false);
        sched.advance(Duration.ofSeconds(10));
        assertEquals(0, svc.desiredTable().destinationCount(), "removed from every service of the group");
    }

    @Test void metricsCountRunsAndFailuresByReason() {
        start(config(vs("10.0.0.1", 80, rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 0, 1, 10, false)))));
        probes.set("10.0.0.2:80", false);
        sched.advance(Duration.ofSeconds(25));
        assertEquals(3.0, registry.get(HealthcheckMetrics.CHECK_RUNS).tag("type", "TCP_CHECK").counter().count());
        assertEquals(2.0, registry.get(HealthcheckMetrics.CHECK_FAILURES).tag("type", "TCP_CHECK")
                .tag("reason", "connect_refused").counter().count());
        assertEquals(3, registry.get(HealthcheckMetrics.CHECK_DURATION).timer().count());
        assertEquals(0.0, registry.get(HealthcheckMetrics.RS_UP).gauge().value());
    }

    @Test void reloadInheritsVerdictsAndQuorum() {
        RealServer sorry = rs("10.0.0.9", 80, 1);
        VirtualServer v = vs("10.0.0.1", 80, 2, 0, sorry, null, script("/q/down"), false, false,
                rs("10.0.0.2", 80, 1, tcp("10.0.0.2", 0, 1, 10, true)),
                rs("10.0.0.3", 80, 1, tcp("10.0.0.3", 0, 1, 10, false)));
        probes.set("10.0.0.3:80", false);
        HealthcheckService first = start(config(v));
        sched.advance(Duration.ofSeconds(1));
        assertFalse(first.quorumUp(VS));
        assertNotNull(dest("10.0.0.9"));
        // reload: the same config again, inheriting; the alpha server that was proven up stays up,
        // the failed one stays down, quorum stays lost: the new table is the old one
        probes.set("10.0.0.3:80", true);
        HealthcheckService second = reload(first, config(v));
        TableChange.AddService add = (TableChange.AddService) changes.get(0);
        assertEquals(List.of(ip("10.0.0.9")), add.definition().destinations().stream().map(Destination::address).toList(),
                "sorry server only, as before the reload");
        assertFalse(second.quorumUp(VS));
        var st = second.status();
        assertTrue(st.get(0).alive(), "alpha server keeps its proven-up verdict");
        assertFalse(st.get(1).alive());
        // and life goes on from there
        sched.advance(Duration.ofSeconds(1));
        assertTrue(second.quorumUp(VS));
        assertNull(dest("10.0.0.9"));
    }
}
